namespace CoopMarket.Grains.Market;

[GenerateSerializer, Immutable]
internal sealed record DealState
{
    [Id(0)] public Deal? Deal { get; init; }

    /// <summary>The market entry the record is at: a change it already has is not applied again.</summary>
    [Id(1)] public long Version { get; init; }

    /// <summary>The steps the deal took, at most one per status, kept so a retry with a step's idempotency key gets
    /// the same answer after the market has let the finished deal go.</summary>
    [Id(2)] public IReadOnlyList<DealChange> Steps { get; init; } = [];
}
