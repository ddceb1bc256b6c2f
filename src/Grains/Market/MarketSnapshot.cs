namespace CoopMarket.Grains.Market;

/// <summary>The open book at one journal entry, written now and then so a restart replays only the entries after it.
/// It holds open lots and requests only, so its size follows the open book, not the season's history.</summary>
[GenerateSerializer]
internal sealed class MarketSnapshot
{
    [Id(0)] public long ThroughEntry { get; set; }
    [Id(1)] public long NextSequence { get; set; }
    [Id(2)] public List<SnapshotLot> Lots { get; set; } = [];
    [Id(3)] public List<SnapshotRequest> Requests { get; set; } = [];
    [Id(4)] public List<RememberedReceipt> Receipts { get; set; } = [];
    [Id(5)] public List<TradePrint> RecentDeals { get; set; } = [];

    /// <summary>Every entry up to this one reached all its projections; a restart projects the later ones again.</summary>
    [Id(6)] public long ProjectedThrough { get; set; }
}

[GenerateSerializer, Immutable]
internal sealed record SnapshotLot([property: Id(0)] LotTerms Terms, [property: Id(1)] long Sequence, [property: Id(2)] long RemainingGrams);

[GenerateSerializer, Immutable]
internal sealed record SnapshotRequest(
    [property: Id(0)] RequestTerms Terms,
    [property: Id(1)] long Sequence,
    [property: Id(2)] long RemainingGrams,
    [property: Id(3)] Dictionary<string, long> TakenByCooperative);

/// <summary>The first answer to a post or placement, kept for retries with the same idempotency key.</summary>
[GenerateSerializer, Immutable]
internal sealed record RememberedReceipt(
    [property: Id(0)] string BodyHash,
    [property: Id(1)] Receipt Receipt,
    [property: Id(2)] DateTimeOffset At,
    [property: Id(3)] long Entry);
