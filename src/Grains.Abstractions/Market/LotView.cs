namespace CoopMarket.Grains.Market;

/// <summary>A lot as participants read it: its terms, what is left, where it stands and how many deals were made from it
/// (the deals themselves are a paged list of their own).</summary>
/// <param name="Status"><c>open</c> while kilograms are left, <c>sold</c> when none are, <c>withdrawn</c> once taken off the market,
/// <c>expired</c> once it can no longer arrive fresh anywhere, <c>shorted</c> once a shortfall took its quantity to zero.</param>
/// <param name="ReturnedGrams">Grams given back to the cooperative unsold: a withdrawn or expired rest, and grams of
/// rejected, expired or cancelled deals that came back after the lot closed.</param>
/// <param name="ShortfallGrams">Grams the cooperative reported it no longer has: the lot's quantity now is posted less these.</param>
/// <param name="UndeliveredGrams">Grams shipped from the lot that the buyers did not receive.</param>
/// <remarks>Posted = sold + open + returned + shortfall + undelivered, where sold counts each standing deal's grams as
/// delivered, or as it stands now before delivery.</remarks>
[GenerateSerializer, Immutable]
public sealed record LotView(
    [property: Id(0)] LotTerms Terms,
    [property: Id(1)] long RemainingGrams,
    [property: Id(2)] string Status,
    [property: Id(3)] long DealCount,
    [property: Id(4)] long Version,
    [property: Id(5)] long ReturnedGrams = 0,
    [property: Id(6)] long ShortfallGrams = 0,
    [property: Id(7)] long UndeliveredGrams = 0)
{
    public const string Open = "open";
    public const string Sold = "sold";
    public const string Withdrawn = "withdrawn";
    public const string Expired = "expired";
    public const string Shorted = "shorted";

    /// <summary>What the lot holds now: posted, less what fell short.</summary>
    public long QuantityGrams => Terms.QuantityGrams - ShortfallGrams;
}
