using CoopMarket.Matching;

namespace CoopMarket.Grains.Market;

/// <summary>Open supply and demand by grade and 1,000 VND price band: what a district officer or a newcomer
/// needs to see of a market, and nothing that names a participant.</summary>
internal static class MarketSummaries
{
    private const long BandVnd = 1_000;

    public static MarketSummary Of(Book book, IReadOnlyDictionary<string, LotTerms> lots,
        IReadOnlyDictionary<string, RequestTerms> requests, IReadOnlyList<TradePrint> recentDeals)
    {
        var supply = book.Lots.Where(l => l.RemainingGrams > 0)
            .GroupBy(l => (Grade: lots[l.Lot.Id].Grade, Band: Band(l.Lot.AskVndPerKg)))
            .OrderBy(g => g.Key.Grade, StringComparer.Ordinal).ThenBy(g => g.Key.Band)
            .Select(g => new SupplyBand(g.Key.Grade, g.Key.Band, g.Key.Band + BandVnd, g.Count(), g.Sum(l => l.RemainingGrams)));
        var demand = book.Requests.Where(r => r.RemainingGrams > 0)
            .GroupBy(r => (Grade: requests[r.Request.Id].MinGrade, Band: Band(r.Request.MaxVndPerKg)))
            .OrderBy(g => g.Key.Grade, StringComparer.Ordinal).ThenBy(g => g.Key.Band)
            .Select(g => new DemandBand(g.Key.Grade, g.Key.Band, g.Key.Band + BandVnd, g.Count(), g.Sum(r => r.RemainingGrams)));
        return new MarketSummary(book.Product, [.. supply], [.. demand], recentDeals);
    }

    private static long Band(long vndPerKg) => vndPerKg / BandVnd * BandVnd;
}
