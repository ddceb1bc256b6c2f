using CoopMarket.Grains.Catalog;
using CoopMarket.Grains.Market;

namespace CoopMarket.Grains.Tests.Market;

/// <summary>A market reads its product when it activates; a change put through the catalog reaches a market that stays
/// active at once, so it never matches by a shelf life the product no longer has.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ProductChangeTests(ClusterFixture fixture)
{
    [Fact]
    public async Task A_shortened_shelf_life_reaches_an_active_market_and_a_lot_that_can_no_longer_arrive_fresh_is_not_matched()
    {
        var market = await MarketScenario.CreateAsync(fixture.Grains, "shelf-life-change");
        var lot = await market.PostedLotAsync("lot", 100, 25_000);
        var product = (await fixture.Grains.GetGrain<IProductGrain>(market.Product).GetAsync())!;

        // Delivered three days after the lot's last harvest: fresh with the product's 18 days, not with 2.
        RequestTerms Late(string id) => market.Request(id, 10, 30_000) with
        {
            DeliverFrom = lot.HarvestTo.AddDays(3),
            DeliverBy = lot.HarvestTo.AddDays(8),
        };
        Assert.Single((await market.Market.PlaceRequestAsync(Late("before"), "before")).Value!.Deals);

        await fixture.Grains.GetGrain<ICatalogGrain>($"catalog-{market.Product}").PutAsync(product with { ShelfLifeDays = 2 });

        Assert.Empty((await market.Market.PlaceRequestAsync(Late("after"), "after")).Value!.Deals);
    }
}
