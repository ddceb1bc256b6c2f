namespace CoopMarket.Grains.Trace;

[GenerateSerializer, Immutable]
internal sealed record TraceState
{
    [Id(0)] public string? DealId { get; init; }
}
