namespace CoopMarket.Grains.Market;

/// <summary>A whole book at one journal entry, written now and then so a restart replays only the entries after it.</summary>
[GenerateSerializer]
internal sealed class MarketSnapshot
{
    [Id(0)] public long ThroughEntry { get; set; }
    [Id(1)] public long NextSequence { get; set; }
    [Id(2)] public List<SnapshotLot> Lots { get; set; } = [];
    [Id(3)] public List<SnapshotRequest> Requests { get; set; } = [];
    [Id(4)] public List<RememberedReceipt> Receipts { get; set; } = [];
    [Id(5)] public List<TradePrint> RecentDeals { get; set; } = [];
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
internal sealed record RememberedReceipt([property: Id(0)] string BodyHash, [property: Id(1)] Receipt Receipt, [property: Id(2)] DateTimeOffset At);
