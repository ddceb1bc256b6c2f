namespace CoopMarket.Grains.Market;

/// <summary>Open supply and demand by grade and 1,000 VND price band, kept up to date as lots and requests change,
/// so reading a market's summary costs the number of bands, not the size of the book.</summary>
internal sealed class MarketTally
{
    private const long BandVnd = 1_000;

    private readonly SortedDictionary<(string Grade, long Band), (int Count, long Grams)> supply = [];
    private readonly SortedDictionary<(string Grade, long Band), (int Count, long Grams)> demand = [];
    private readonly Dictionary<string, long> openLots = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> openRequests = new(StringComparer.Ordinal);

    /// <summary>Counts the lot with <paramref name="openGrams"/> unsold from now on; zero takes it out.</summary>
    public void Lot(LotTerms lot, long openGrams) =>
        Move(supply, (lot.Grade.ToString(), Band(lot.AskVndPerKg)), Swap(openLots, lot.Id, openGrams), openGrams);

    /// <summary>Counts the request with <paramref name="openGrams"/> unfilled from now on; zero takes it out.</summary>
    public void Request(RequestTerms request, long openGrams) =>
        Move(demand, (request.MinGrade.ToString(), Band(request.MaxVndPerKg)), Swap(openRequests, request.Id, openGrams), openGrams);

    public MarketSummary Summary(string product, IReadOnlyList<TradePrint> recentDeals) => new(
        product,
        [.. supply.Select(b => new SupplyBand(b.Key.Grade, b.Key.Band, b.Key.Band + BandVnd, b.Value.Count, b.Value.Grams))],
        [.. demand.Select(b => new DemandBand(b.Key.Grade, b.Key.Band, b.Key.Band + BandVnd, b.Value.Count, b.Value.Grams))],
        recentDeals);

    private static void Move(SortedDictionary<(string, long), (int Count, long Grams)> bands, (string, long) key, long before, long after)
    {
        if (before == after)
        {
            return;
        }

        var (count, grams) = bands.GetValueOrDefault(key);
        count += (after > 0 ? 1 : 0) - (before > 0 ? 1 : 0);
        grams += after - before;
        if (count == 0)
        {
            bands.Remove(key);
        }
        else
        {
            bands[key] = (count, grams);
        }
    }

    private static long Swap(Dictionary<string, long> open, string id, long grams)
    {
        var before = open.GetValueOrDefault(id);
        if (grams > 0)
        {
            open[id] = grams;
        }
        else
        {
            open.Remove(id);
        }

        return before;
    }

    private static long Band(long vndPerKg) => vndPerKg / BandVnd * BandVnd;
}
