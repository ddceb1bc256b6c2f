namespace CoopMarket.Grains.Market;

/// <summary>A purchase request as participants read it.</summary>
/// <param name="Status"><c>open</c> with nothing filled, <c>partial</c>, <c>filled</c>, <c>cancelled</c>, or <c>expired</c> once its
/// delivery window has closed.</param>
[GenerateSerializer, Immutable]
public sealed record RequestView(
    [property: Id(0)] RequestTerms Terms,
    [property: Id(1)] long FilledGrams,
    [property: Id(2)] long RemainingGrams,
    [property: Id(3)] string Status,
    [property: Id(4)] long DealCount,
    [property: Id(5)] long Version)
{
    public const string Open = "open";
    public const string Partial = "partial";
    public const string Filled = "filled";
    public const string Cancelled = "cancelled";
    public const string Expired = "expired";
}
