using CoopMarket.Grains.Market;
using CoopMarket.Grains.Paging;

namespace CoopMarket.Grains.Tests.Market;

/// <summary>The quantity invariants, read back from the records: for every lot, sold + open + returned = posted, and
/// for every request, what it got = the grams of its deals that stand, both to the gram.</summary>
internal static class QuantityAudit
{
    public static async Task AssertLotsBalancedAsync(IGrainFactory grains, params IEnumerable<string> lotIds)
    {
        foreach (var id in lotIds)
        {
            var lot = grains.GetGrain<ISupplyLotGrain>(id);
            var view = (await lot.GetAsync())!;
            var sold = (await DealsAsync(grains, lot.GetDealIdsAsync)).Where(Stands).Sum(d => d.QuantityGrams);
            Assert.True(sold + view.RemainingGrams + view.ReturnedGrams == view.Terms.QuantityGrams,
                $"lot {id}: sold {sold} g + open {view.RemainingGrams} g + returned {view.ReturnedGrams} g ≠ posted {view.Terms.QuantityGrams} g");
        }
    }

    public static async Task AssertRequestsBalancedAsync(IGrainFactory grains, params IEnumerable<string> requestIds)
    {
        foreach (var id in requestIds)
        {
            var request = grains.GetGrain<IPurchaseRequestGrain>(id);
            var view = (await request.GetAsync())!;
            var bought = (await DealsAsync(grains, request.GetDealIdsAsync)).Where(Stands).Sum(d => d.QuantityGrams);
            Assert.True(bought == view.FilledGrams, $"request {id}: filled {view.FilledGrams} g, its standing deals hold {bought} g");
            Assert.InRange(view.FilledGrams + view.RemainingGrams, 0, view.Terms.QuantityGrams);
        }
    }

    private static bool Stands(Deal deal) => !DealLifecycle.GaveGramsBack(deal.Status);

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
