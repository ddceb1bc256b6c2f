namespace CoopMarket.Matching;

/// <summary>A lot in the book: what was offered, its place in arrival order, and what is still unsold.</summary>
/// <param name="ShortGrams">Grams the cooperative said it no longer has (a poor harvest): the lot's quantity is now
/// its posted quantity less these.</param>
public sealed record OpenLot(SupplyLot Lot, long Sequence, long RemainingGrams, long ShortGrams = 0)
{
    /// <summary>What the lot holds now: posted, less what fell short.</summary>
    public long QuantityGrams => Lot.QuantityGrams - ShortGrams;
}

/// <summary>A request in the book: what was asked, its place in arrival order, what is still unfilled, and
/// for capped chains how much each cooperative has already supplied.</summary>
public sealed record OpenRequest(PurchaseRequest Request, long Sequence, long RemainingGrams, IReadOnlyDictionary<string, long> TakenByCooperative);

/// <summary>What posting a lot or placing a request did: its arrival sequence, what is left, and the fills made at once.</summary>
public sealed record MatchOutcome(long Sequence, long RemainingGrams, IReadOnlyList<Fill> Fills);

/// <summary>Where the grams of a returned fill went: back to the lot, back to the request, or out of the market
/// on a side that was withdrawn or cancelled meanwhile.</summary>
public sealed record ReturnOutcome(bool ReturnedToLot, bool ReturnedToRequest);

/// <summary>Ids of open lots and requests that the market's today has overtaken, in arrival order.</summary>
public sealed record StaleEntries(IReadOnlyList<string> LotIds, IReadOnlyList<string> RequestIds);
