using CoopMarket.Grains.Participants;

namespace CoopMarket.Grains.Market;

/// <summary>One change of a market, as journalled: the command and everything it decided.</summary>
/// <remarks>An entry holds the deals the engine made, not just the command, so rebuilding a book replays
/// decisions rather than re-deciding them with whatever matching rules the code has by then. It is also the stored
/// record of one journal write: the entries decided after it that shared its write are in <see cref="Following"/>
/// (numbered on from it, at most MarketGrain.MaxEntriesPerWrite in all), so a record written before writes were shared
/// is a write of one entry.</remarks>
[GenerateSerializer, Immutable]
internal sealed record MarketEntry(
    [property: Id(0)] long Number,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] MarketEntryKind Kind,
    [property: Id(3)] LotTerms? Lot,
    [property: Id(4)] RequestTerms? Request,
    [property: Id(5)] string? TargetId,
    [property: Id(6)] long Sequence,
    [property: Id(7)] IReadOnlyList<Deal> Deals,
    [property: Id(8)] string? BodyHash,
    [property: Id(9)] Receipt? Receipt,
    [property: Id(10)] IReadOnlyList<LotChange> LotChanges,
    [property: Id(11)] IReadOnlyList<RequestChange> RequestChanges,
    [property: Id(12)] StaleIds? Expired = null,
    [property: Id(13)] IReadOnlyList<DealChange>? DealChanges = null,
    [property: Id(14)] AutoConfirmRules? AutoConfirm = null,
    [property: Id(15)] IReadOnlyList<AllowanceHold>? Holds = null,
    [property: Id(16)] IReadOnlyList<MarketEntry>? Following = null)
{
    /// <summary>The entries a stored record holds, in order: itself, then those that shared its write.</summary>
    public IEnumerable<MarketEntry> Written() => Following is { } following ? [this with { Following = null }, .. following] : [this];
}

/// <summary>Lots and requests that the market's today overtook, taken off the market by one entry.</summary>
[GenerateSerializer, Immutable]
internal sealed record StaleIds([property: Id(0)] IReadOnlyList<string> LotIds, [property: Id(1)] IReadOnlyList<string> RequestIds);

/// <summary>What an unverified buyer's request holds of its scope's allowance after an entry: its grams not yet final.</summary>
[GenerateSerializer, Immutable]
internal sealed record AllowanceHold([property: Id(0)] string Scope, [property: Id(1)] string RequestId, [property: Id(2)] long Grams);

internal enum MarketEntryKind
{
    LotPosted,
    RequestPlaced,
    LotWithdrawn,
    RequestCancelled,
    Expired,

    // A step on one deal (TargetId), its change in DealChanges. Those that give grams back hold, in Deals, the deals
    // that sourced the request again, and in LotChanges/RequestChanges what the returns and the new deals did, one
    // change per lot and per request.
    DealConfirmed,
    DealRejected,
    DealShipped,
    DealDelivered,
    DealSettled,
    DealCancelled,

    /// <summary>The market's clock passed proposed deals' confirmation deadlines: every deal then due, one change each in
    /// DealChanges (TargetId names the deal only when there is one).</summary>
    DealExpired,

    /// <summary>A lot's quantity fell (TargetId; its change holds the grams): the deals it shrank are in DealChanges, the
    /// deals that sourced their requests again in Deals.</summary>
    LotShorted,

    /// <summary>A cooperative (TargetId) set its auto-confirm rules (AutoConfirm): deals made after this entry follow them.</summary>
    AutoConfirmSet,
}

internal static class MarketEntryKinds
{
    /// <summary>Whether an entry of this kind is a step on deals in progress: a person's (confirm … cancel) or the
    /// clock's (expiry), its changes in DealChanges.</summary>
    public static bool IsDealStep(this MarketEntryKind kind) => kind is MarketEntryKind.DealConfirmed or MarketEntryKind.DealRejected
        or MarketEntryKind.DealShipped or MarketEntryKind.DealDelivered or MarketEntryKind.DealSettled
        or MarketEntryKind.DealCancelled or MarketEntryKind.DealExpired;
}
