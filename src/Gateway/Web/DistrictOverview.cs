using CoopMarket.Gateway.Apis;
using CoopMarket.Gateway.Contracts;
using CoopMarket.Grains.Catalog;
using CoopMarket.Grains.Market;
using CoopMarket.Grains.Paging;
using CoopMarket.Grains.Participants;

namespace CoopMarket.Gateway.Web;

/// <summary>The district office's view of its market, read from the grains the API reads: per product the market's
/// own summary (open supply and demand), and per commune, deal and unfilled request what the cooperatives' and
/// buyers' indexes list.</summary>
/// <remarks>A district has tens of cooperatives and buyers, so the overview reads them all, up to
/// <see cref="PageRequest.MaxLimit"/> participants and the latest <see cref="PageRequest.MaxLimit"/> lots, deals and
/// requests of each — bounded, so a page never turns into an unbounded scan. When a list holds more, the overview says
/// so (<see cref="Market.Partial"/>) rather than show a part as the whole; the API's paged lists serve the rest.</remarks>
internal sealed class DistrictOverview(IGrainFactory grains)
{
    private static readonly PageRequest Most = new(PageRequest.MaxLimit, null);

    /// <summary>Set when any list read had more than <see cref="PageRequest.MaxLimit"/> entries.</summary>
    private int cut;

    public async Task<Market> ReadAsync()
    {
        var products = await grains.GetGrain<ICatalogGrain>(ICatalogGrain.Key).ListAsync();
        var summaries = await Task.WhenAll(products.Select(p => grains.GetGrain<IMarketGrain>(p.Code).GetSummaryAsync()));
        var cooperatives = await LoadAllAsync(IRegistryGrain.Cooperatives, id => grains.GetGrain<ICooperativeGrain>(id).GetAsync());
        var buyers = await LoadAllAsync(IRegistryGrain.Buyers, id => grains.GetGrain<IBuyerGrain>(id).GetAsync());

        var lots = (await Task.WhenAll(cooperatives.Select(async c => (c, await LoadAsync(grains.GetGrain<ICooperativeGrain>(c.Id).GetLotIdsAsync,
            id => grains.GetGrain<ISupplyLotGrain>(id).GetAsync()))))).SelectMany(x => x.Item2.Select(l => (Cooperative: x.c, Lot: l))).ToList();
        var deals = (await Task.WhenAll(cooperatives.Select(async c => (c, await LoadAsync(grains.GetGrain<ICooperativeGrain>(c.Id).GetDealIdsAsync,
            id => DealsApi.LoadAsync(grains, id)))))).SelectMany(x => x.Item2.Select(d => (Cooperative: x.c, Deal: d))).ToList();
        var requests = (await Task.WhenAll(buyers.Select(async b => (b, await LoadAsync(grains.GetGrain<IBuyerGrain>(b.Id).GetRequestIdsAsync,
            id => grains.GetGrain<IPurchaseRequestGrain>(id).GetAsync()))))).SelectMany(x => x.Item2.Select(r => (Buyer: x.b, Request: r))).ToList();

        var buyerNames = buyers.ToDictionary(b => b.Id, b => b.Name);
        var lines = products.Zip(summaries, (product, summary) =>
        {
            var asked = requests.Where(r => r.Request.Terms.Product == product.Code).ToList();
            var sold = deals.Where(d => d.Deal.Product == product.Code).ToList();
            var soldKg = sold.Sum(d => d.Deal.QuantityKg);
            return new ProductLine(product,
                Dtos.Kg(summary.OpenSupply.Sum(b => b.Grams)), Dtos.Kg(summary.OpenDemand.Sum(b => b.Grams)),
                Dtos.Kg(asked.Sum(r => r.Request.Terms.QuantityGrams)), Dtos.Kg(asked.Sum(r => r.Request.FilledGrams)),
                soldKg, sold.Count, soldKg == 0 ? null : (long)Math.Round(sold.Sum(d => d.Deal.QuantityKg * d.Deal.PriceVndPerKg) / soldKg),
                MarketBand.Of(summary));
        }).ToList();
        var communes = lots
            .GroupBy(l => (l.Cooperative.Commune, l.Lot.Terms.Product))
            .Select(g =>
            {
                var sold = deals.Where(d => d.Cooperative.Commune == g.Key.Commune && d.Deal.Product == g.Key.Product).ToList();
                return new CommuneLine(g.Key.Commune, g.Key.Product, Dtos.Kg(g.Sum(l => l.Lot.Terms.QuantityGrams)),
                    Dtos.Kg(g.Where(l => l.Lot.Status == LotView.Open).Sum(l => l.Lot.RemainingGrams)), sold.Sum(d => d.Deal.QuantityKg), sold.Count);
            })
            .OrderBy(c => c.Commune, StringComparer.Ordinal).ThenBy(c => c.Product, StringComparer.Ordinal).ToList();
        var dealRows = deals
            .Select(d => new DealRow(d.Deal, d.Cooperative.Name, d.Cooperative.Commune, buyerNames.GetValueOrDefault(d.Deal.BuyerId, d.Deal.BuyerId)))
            .OrderByDescending(d => d.Deal.MadeAt).ToList();
        var unfilled = requests
            .Where(r => r.Request.RemainingGrams > 0 && r.Request.Status is RequestView.Open or RequestView.Partial)
            .Select(r => new UnfilledRow(r.Request.ToDto(), r.Buyer.Name))
            .OrderBy(r => r.Request.DeliverBy).ToList();
        return new Market(lines, communes, dealRows, unfilled, Volatile.Read(ref cut) != 0);
    }

    private async Task<IReadOnlyList<T>> LoadAllAsync<T>(string registry, Func<string, Task<T?>> load) where T : class =>
        await LoadAsync(grains.GetGrain<IRegistryGrain>(registry).ListAsync, load);

    private async Task<IReadOnlyList<T>> LoadAsync<T>(Func<PageRequest, Task<IdPage>> ids, Func<string, Task<T?>> load) where T : class
    {
        var (items, next) = await PageQuery.LoadAsync(ids, Most, load);
        if (next is not null)
        {
            // Lists are read side by side.
            Interlocked.Exchange(ref cut, 1);
        }

        return items;
    }

    /// <summary>The whole overview; <paramref name="Partial"/> when some participant or some participant's list held more
    /// than <see cref="PageRequest.MaxLimit"/> entries, of which only the latest are counted.</summary>
    public sealed record Market(IReadOnlyList<ProductLine> Products, IReadOnlyList<CommuneLine> Communes, IReadOnlyList<DealRow> Deals,
        IReadOnlyList<UnfilledRow> Unfilled, bool Partial);

    /// <summary>One product: open supply and demand now, what was asked and filled, what was sold and at what average.</summary>
    public sealed record ProductLine(Product Product, decimal OpenSupplyKg, decimal OpenDemandKg, decimal RequestedKg, decimal FilledKg,
        decimal SoldKg, int Deals, long? AverageVndPerKg, MarketBand Band)
    {
        /// <summary>The share of requested kilograms the market found a seller for; null when nobody asked.</summary>
        public double? MatchRate => RequestedKg == 0 ? null : (double)(FilledKg / RequestedKg);
    }

    /// <summary>One product in one commune: what its cooperatives posted, still offer and sold.</summary>
    public sealed record CommuneLine(string Commune, string Product, decimal PostedKg, decimal OpenKg, decimal SoldKg, int Deals);

    public sealed record DealRow(DealDto Deal, string Cooperative, string Commune, string Buyer);

    /// <summary>A request still wanting kilograms: the market the district still has to find.</summary>
    public sealed record UnfilledRow(RequestDto Request, string Buyer);
}
