namespace CoopMarket.Matching;

/// <summary>A lot resting in a book, with what is left of it and its certificates flattened to day numbers.</summary>
internal sealed class LotEntry
{
    private const int Forever = int.MaxValue;
    private const int Never = int.MinValue;

    // Last valid day per scheme (VietGAP, GlobalGAP, Organic), and per OCOP star level the last day some
    // rating of at least that level is valid: renewed or downgraded certificates then need no search.
    private SchemeDays schemeValidUntil;
    private StarDays ocopValidUntil;

    public LotEntry(SupplyLot lot, long sequence, long remainingGrams, PlaceShelf shelf)
    {
        Lot = lot;
        Sequence = sequence;
        RemainingGrams = remainingGrams;
        Shelf = shelf;
        HarvestFrom = lot.Harvest.From.DayNumber;
        HarvestTo = lot.Harvest.To.DayNumber;
        ((Span<int>)schemeValidUntil).Fill(Never);
        ((Span<int>)ocopValidUntil).Fill(Never);
        ocopValidUntil[0] = Forever;
        foreach (var certification in lot.Certifications)
        {
            var until = certification.ValidUntil?.DayNumber ?? Forever;
            if (certification.Scheme == CertificationScheme.Ocop)
            {
                for (var stars = 1; stars <= Math.Min(certification.Stars, MarketLimits.MaxOcopStars); stars++)
                {
                    ocopValidUntil[stars] = Math.Max(ocopValidUntil[stars], until);
                }
            }
            else if (SchemeIndex(certification.Scheme) is var index and >= 0)
            {
                schemeValidUntil[index] = Math.Max(schemeValidUntil[index], until);
            }
        }
    }

    public SupplyLot Lot { get; }
    public long Sequence { get; }
    public long RemainingGrams { get; set; }

    /// <summary>Grams the cooperative no longer has: the lot never holds more than its posted quantity less these.</summary>
    public long ShortGrams { get; set; }

    public long QuantityGrams => Lot.QuantityGrams - ShortGrams;
    public PlaceShelf Shelf { get; }
    public int HarvestFrom { get; }
    public int HarvestTo { get; }
    public long Ask => Lot.AskVndPerKg;

    /// <summary>Whether the lot is on its shelf, open to requests.</summary>
    public bool IsOpen { get; set; }

    /// <summary>Whether the lot still stands in its price level's list, open or waiting to be compacted away.</summary>
    public bool InLevel { get; set; }

    /// <summary>The last day on which every certificate the request requires is valid; <see cref="Never"/> when one is missing.</summary>
    public int CertifiedUntil(CertificationScheme required, int minOcopStars)
    {
        var until = ocopValidUntil[Math.Clamp(minOcopStars, 0, MarketLimits.MaxOcopStars)];
        for (var index = 0; index < SchemeDays.Length; index++)
        {
            if ((required & (CertificationScheme)(1 << index)) != 0)
            {
                until = Math.Min(until, schemeValidUntil[index]);
            }
        }

        return until;
    }

    private static int SchemeIndex(CertificationScheme scheme) => scheme switch
    {
        CertificationScheme.VietGAP => 0,
        CertificationScheme.GlobalGAP => 1,
        CertificationScheme.Organic => 2,
        _ => -1,
    };

    // Inline, so a lot in a book of a million costs one allocation, not three.
    [System.Runtime.CompilerServices.InlineArray(Length)]
    private struct SchemeDays
    {
        public const int Length = 3;
        private int first;
    }

    [System.Runtime.CompilerServices.InlineArray(MarketLimits.MaxOcopStars + 1)]
    private struct StarDays
    {
        private int first;
    }
}
