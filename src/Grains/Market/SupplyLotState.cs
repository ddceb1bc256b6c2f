using CoopMarket.Grains.Paging;

namespace CoopMarket.Grains.Market;

[GenerateSerializer, Immutable]
internal sealed record SupplyLotState
{
    [Id(0)] public LotView? View { get; init; }

    /// <summary>The body the id was first claimed with: the lot's idempotency record, kept as long as the lot.</summary>
    [Id(1)] public string? BodyHash { get; init; }

    /// <summary>The market's first answer, for a retry that comes after the market has forgotten it.</summary>
    [Id(2)] public Receipt? Receipt { get; init; }

    [Id(3)] public PagedLog<string> Deals { get; init; } = PagedLog.New<string>();

    /// <summary>Shortfalls reported with an idempotency key, as records written before each keyed shortfall got a record
    /// of its own (<see cref="SupplyLotGrain"/>): still read for their retries, never added to.</summary>
    [Id(4)] public IReadOnlyList<LotShortfall> Shortfalls { get; init; } = [];
}
