namespace CoopMarket.Matching;

/// <summary>Bounds every lot and request must keep; the HTTP layer reports them per field, the book enforces them.</summary>
public static class MarketLimits
{
    public const long MaxVndPerKg = 10_000_000;
    public const int MaxOcopStars = 5;

    public static bool IsValidQuantity(long grams) => grams is > 0 and <= Grams.Max;

    public static bool IsValidPrice(long vndPerKg) => vndPerKg is > 0 and <= MaxVndPerKg;
}
