namespace CoopMarket.Grains.Market;

/// <summary>A lot as participants read it: its terms, what is left, where it stands and how many deals were made from it
/// (the deals themselves are a paged list of their own).</summary>
/// <param name="Status"><c>open</c> while kilograms are left, <c>sold</c> when none are, <c>withdrawn</c> once taken off the market,
/// <c>expired</c> once it can no longer arrive fresh anywhere.</param>
[GenerateSerializer, Immutable]
public sealed record LotView(
    [property: Id(0)] LotTerms Terms,
    [property: Id(1)] long RemainingGrams,
    [property: Id(2)] string Status,
    [property: Id(3)] long DealCount,
    [property: Id(4)] long Version)
{
    public const string Open = "open";
    public const string Sold = "sold";
    public const string Withdrawn = "withdrawn";
    public const string Expired = "expired";
}
