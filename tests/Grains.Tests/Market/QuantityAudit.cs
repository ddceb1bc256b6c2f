using CoopMarket.Grains.Market;
using CoopMarket.Grains.Paging;

namespace CoopMarket.Grains.Tests.Market;

/// <summary>The quantity invariants, read back from the records, to the gram: for every lot, sold + open + returned +
/// shortfall + undelivered = posted, and for every request, what it got = what its deals that stand bring. A deal that
/// stands brings its grams as delivered, or, before delivery, as they stand now (a shortfall may have shrunk them).</summary>
internal static class QuantityAudit
{
    public static async Task AssertLotsBalancedAsync(IGrainFactory grains, params IEnumerable<string> lotIds)
    {
        foreach (var id in lotIds)
        {
            var lot = grains.GetGrain<ISupplyLotGrain>(id);
            var view = (await lot.GetAsync())!;
            var sold = (await DealsAsync(grains, lot.GetDealIdsAsync)).Where(Stands).Sum(Brings);
            Assert.True(sold + view.RemainingGrams + view.ReturnedGrams + view.ShortfallGrams + view.UndeliveredGrams == view.Terms.QuantityGrams,
                $"lot {id}: sold {sold} g + open {view.RemainingGrams} g + returned {view.ReturnedGrams} g + shortfall {view.ShortfallGrams} g"
                + $" + undelivered {view.UndeliveredGrams} g ≠ posted {view.Terms.QuantityGrams} g");
        }
    }

    public static async Task AssertRequestsBalancedAsync(IGrainFactory grains, params IEnumerable<string> requestIds)
    {
        foreach (var id in requestIds)
        {
            var request = grains.GetGrain<IPurchaseRequestGrain>(id);
            var view = (await request.GetAsync())!;
            var bought = (await DealsAsync(grains, request.GetDealIdsAsync)).Where(Stands).Sum(Brings);
            Assert.True(bought == view.FilledGrams, $"request {id}: filled {view.FilledGrams} g, its standing deals hold {bought} g");
            Assert.InRange(view.FilledGrams + view.RemainingGrams, 0, view.Terms.QuantityGrams);
        }
    }

    private static bool Stands(Deal deal) => !DealLifecycle.GaveGramsBack(deal.Status);

    private static long Brings(Deal deal) => deal.DeliveredGrams ?? deal.QuantityGrams;

    private static async Task<List<Deal>> DealsAsync(IGrainFactory grains, Func<PageRequest, Task<IdPage>> page)
    {
        var deals = new List<Deal>();
        for (var next = PageRequest.First; ;)
        {
            var ids = await page(next);
            foreach (var id in ids.Ids)
            {
                deals.Add((await grains.GetGrain<IDealGrain>(id).GetAsync())!);
            }

            if (ids.Next is not { } before)
            {
                return deals;
            }

            next = next with { Before = before };
        }
    }
}
