namespace CoopMarket.Grains.Market;

[GenerateSerializer, Immutable]
internal sealed record DealState
{
    [Id(0)] public Deal? Deal { get; init; }
}
