using CoopMarket.Grains.Market;

namespace CoopMarket.Gateway.Web;

/// <summary>A product's current prices at a glance, from the market's own summary: what open lots ask and what
/// recent deals fetched. Null ends mean nothing is open or nothing traded yet.</summary>
internal sealed record MarketBand(long? AskFrom, long? AskTo, long? DealFrom, long? DealTo)
{
    public static MarketBand Of(MarketSummary summary) => new(
        summary.OpenSupply.Count == 0 ? null : summary.OpenSupply.Min(b => b.FromVndPerKg),
        summary.OpenSupply.Count == 0 ? null : summary.OpenSupply.Max(b => b.ToVndPerKg),
        summary.RecentDeals.Count == 0 ? null : summary.RecentDeals.Min(d => d.PriceVndPerKg),
        summary.RecentDeals.Count == 0 ? null : summary.RecentDeals.Max(d => d.PriceVndPerKg));
}
