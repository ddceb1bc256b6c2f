using CoopMarket.Grains.Participants;

namespace CoopMarket.Grains.Market;

/// <summary>The market at one journal entry, written now and then so a restart replays only the entries after it.</summary>
/// <remarks>The lots, requests and deals it holds are kept in pages (<see cref="SnapshotPage"/>), each a record of its own,
/// and a snapshot rewrites only the pages that changed since the last one: what a snapshot writes follows what changed,
/// not how much the market holds. This record names the pages through directory pages (<see cref="SnapshotDirectory"/>)
/// and holds what is small and bounded: the receipts kept for retries, the latest trades, the auto-confirm rules.
/// Snapshots written before pages existed hold their lots, requests and deals in fields 2, 3, 7, 8 and 9, which still
/// read.</remarks>
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

    /// <summary>Deals not yet final: bounded by the deals in progress, not by history.</summary>
    [Id(7)] public List<LiveDeal> Deals { get; set; } = [];

    /// <summary>Withdrawn or expired lots that deals in progress may still give grams back to.</summary>
    [Id(8)] public List<ClosedLot> ClosedLots { get; set; } = [];

    /// <summary>Cancelled or expired requests that deals in progress may still give grams back to.</summary>
    [Id(9)] public List<ClosedRequest> ClosedRequests { get; set; } = [];

    /// <summary>Cooperatives' auto-confirm rules, by cooperative id: bounded by the cooperatives, not by history.</summary>
    [Id(10)] public Dictionary<string, AutoConfirmRules> AutoConfirm { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The directory pages that name the pages holding the market's lots, requests and deals at
    /// <see cref="ThroughEntry"/> (<see cref="SnapshotDirectory"/>). Snapshots written before directories name those
    /// pages here directly, which still reads.</summary>
    [Id(11)] public List<SnapshotPageRef> Pages { get; set; } = [];

    /// <summary>Pages no longer named by this snapshot, nor by any earlier one that may still be stored, that may
    /// still exist: deleted once this snapshot has landed, and named again until they are.</summary>
    [Id(12)] public List<SnapshotPageRef> Retired { get; set; } = [];
}

/// <summary>The page versions that may be stored though no stored snapshot names them, written before a snapshot writes
/// its pages: those it is about to write, and those earlier attempts left.</summary>
/// <remarks>Without it, only the activation that wrote a snapshot's pages knew them until the snapshot landed; one that
/// went first left them in storage for good. The next activation reads this and deletes them with its first snapshot.</remarks>
[GenerateSerializer]
internal sealed class SnapshotAttempt
{
    [Id(0)] public List<SnapshotPageRef> Unnamed { get; set; } = [];
}

/// <summary>What one page holds: lots, requests or deals, or the names of such pages.</summary>
internal enum PageFamily
{
    Lots,
    Requests,
    Deals,
    Directory,
}

/// <summary>A page as a snapshot names it: its family, its number, and the entry of the snapshot that wrote it.</summary>
/// <remarks>Each version of a page is a record of its own (the stamp is in its key), written once and never
/// overwritten: a snapshot that fails half way leaves every page the stored snapshot names as it was.</remarks>
[GenerateSerializer, Immutable]
internal sealed record SnapshotPageRef([property: Id(0)] PageFamily Family, [property: Id(1)] long Number, [property: Id(2)] long Stamp);

/// <summary>The lots, requests or deals that page <see cref="Number"/> of its family holds: those first journalled in
/// entries <c>Number × EntriesPerPage</c> to the next page's first, that the market still keeps.</summary>
/// <remarks>Items are grouped by the entry that brought them, so a page changes only when one of its own items does:
/// old pages of lots that sold out and deals that went final are dropped, and the pages of a busy day are written
/// once or twice, not at every snapshot of the season.</remarks>
[GenerateSerializer]
internal sealed class SnapshotPage
{
    [Id(0)] public PageFamily Family { get; set; }
    [Id(1)] public long Number { get; set; }
    [Id(2)] public List<SnapshotLot> Lots { get; set; } = [];
    [Id(3)] public List<ClosedLot> ClosedLots { get; set; } = [];
    [Id(4)] public List<SnapshotRequest> Requests { get; set; } = [];
    [Id(5)] public List<ClosedRequest> ClosedRequests { get; set; } = [];
    [Id(6)] public List<LiveDeal> Deals { get; set; } = [];

    /// <summary>On a directory page: the versions of the pages it names.</summary>
    [Id(7)] public List<SnapshotPageRef> Names { get; set; } = [];

    public bool IsEmpty => Lots.Count + ClosedLots.Count + Requests.Count + ClosedRequests.Count + Deals.Count + Names.Count == 0;
}

/// <summary>What the market keeps of a deal in progress: enough to check a step, give its grams back and expire it.</summary>
/// <param name="Last">The deal's latest step, for a retry with its idempotency key.</param>
/// <param name="Entry">The journal entry that made it, so a shortfall shrinks the newest deals first (0 in snapshots
/// written before it was kept: such deals count as the oldest).</param>
[GenerateSerializer, Immutable]
internal sealed record LiveDeal(
    [property: Id(0)] string Id,
    [property: Id(1)] string LotId,
    [property: Id(2)] string RequestId,
    [property: Id(3)] string CooperativeId,
    [property: Id(4)] string BuyerId,
    [property: Id(5)] long Grams,
    [property: Id(6)] string Status,
    [property: Id(7)] DateTimeOffset ConfirmBy,
    [property: Id(8)] bool BuyerVerified,
    [property: Id(9)] DealChange? Last = null,
    [property: Id(10)] long Entry = 0);

/// <summary>A lot off the market whose deals in progress may still give grams back: those grams go to its cooperative.</summary>
[GenerateSerializer, Immutable]
internal sealed record ClosedLot([property: Id(0)] LotTerms Terms, [property: Id(1)] string Status);

/// <summary>A request off the market whose deals in progress may still give grams back, lowering what it got.</summary>
[GenerateSerializer, Immutable]
internal sealed record ClosedRequest([property: Id(0)] RequestTerms Terms, [property: Id(1)] string Status, [property: Id(2)] long FilledGrams);

/// <param name="ShortGrams">Grams shortfalls took off its quantity.</param>
/// <param name="LastShortfall">Its latest shortfall, for a retry with the key it was reported with.</param>
[GenerateSerializer, Immutable]
internal sealed record SnapshotLot(
    [property: Id(0)] LotTerms Terms,
    [property: Id(1)] long Sequence,
    [property: Id(2)] long RemainingGrams,
    [property: Id(3)] long ShortGrams = 0,
    [property: Id(4)] LotShortfall? LastShortfall = null);

[GenerateSerializer, Immutable]
internal sealed record SnapshotRequest(
    [property: Id(0)] RequestTerms Terms,
    [property: Id(1)] long Sequence,
    [property: Id(2)] long RemainingGrams,
    [property: Id(3)] Dictionary<string, long> TakenByCooperative);

/// <summary>The first answer to a post or placement, kept for retries with the same idempotency key.</summary>
/// <remarks>Field 2 held when the answer was given, which nothing read; snapshots that hold it still read (the field is
/// skipped), and the id stays unused so no other type ever meets those values.</remarks>
[GenerateSerializer, Immutable]
internal sealed record RememberedReceipt(
    [property: Id(0)] string BodyHash,
    [property: Id(1)] Receipt Receipt,
    [property: Id(3)] long Entry);
