namespace CoopMarket.Matching;

/// <summary>Quantities are whole grams in a <see cref="long"/>: exact, and cheap to add and compare.</summary>
public static class Grams
{
    public const long PerKg = 1000;

    /// <summary>10,000,000 kg: the most any one lot or request may hold.</summary>
    public const long Max = 10_000_000 * PerKg;

    public static long FromKg(decimal kg) => decimal.ToInt64(kg * PerKg);

    public static decimal ToKg(long grams) => grams / (decimal)PerKg;

    /// <summary>Whether <paramref name="kg"/> is a whole number of grams.</summary>
    public static bool IsWholeGrams(decimal kg) => kg * PerKg == decimal.Truncate(kg * PerKg);
}
