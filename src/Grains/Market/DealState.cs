namespace CoopMarket.Grains.Market;

[GenerateSerializer]
internal sealed class DealState
{
    [Id(0)] public Deal? Deal { get; set; }
}
