using CoopMarket.Grains.Market;
using CoopMarket.Grains.Paging;
using CoopMarket.Grains.Participants;

namespace CoopMarket.Grains.Tests.Market;

[Collection(ClusterCollection.Name)]
public sealed class MarketGrainTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Grains;

    [Fact]
    public async Task A_request_that_meets_a_lot_makes_a_deal_recorded_on_every_side()
    {
        var market = new MarketScenario(Grains, "deal");
        await market.CreateProductAsync();
        var lot = market.Lot("lot", 3_000, 25_000);
        await market.Market.PostLotAsync(lot, "h1");

        var placed = await market.Market.PlaceRequestAsync(market.Request("request", 5_000, 30_000), "h2");

        Assert.Equal(CommandOutcome.Done, placed.Outcome);
        var receipt = placed.Value!;
        Assert.Equal((RequestView.Partial, 3_000_000L, 2_000_000L), (receipt.Status, receipt.FilledGrams, receipt.RemainingGrams));
        var deal = Assert.Single(receipt.Deals);
        Assert.Equal((lot.Id, 3_000_000L, 25_000L), (deal.LotId, deal.QuantityGrams, deal.PriceVndPerKg));
        Assert.Equal(deal, await Grains.GetGrain<IDealGrain>(deal.Id).GetAsync());
        var lotView = await Grains.GetGrain<ISupplyLotGrain>(lot.Id).GetAsync();
        Assert.Equal((0L, LotView.Sold), (lotView!.RemainingGrams, lotView.Status));
        Assert.Equal(1, lotView.DealCount);
        Assert.Equal([deal.Id], (await Grains.GetGrain<ISupplyLotGrain>(lot.Id).GetDealIdsAsync(PageRequest.First)).Ids);
        Assert.Equal([lot.Id], (await Grains.GetGrain<ICooperativeGrain>(lot.CooperativeId).GetLotIdsAsync(PageRequest.First)).Ids);
        Assert.Equal([deal.Id], (await Grains.GetGrain<ICooperativeGrain>(lot.CooperativeId).GetDealIdsAsync(PageRequest.First)).Ids);
        Assert.Equal([deal.Id], (await Grains.GetGrain<IBuyerGrain>(deal.BuyerId).GetDealIdsAsync(PageRequest.First)).Ids);
    }

    [Fact]
    public async Task Concurrent_buyers_racing_for_one_lot_never_get_more_than_it_holds()
    {
        var market = new MarketScenario(Grains, "race");
        await market.CreateProductAsync();
        var lot = market.Lot("lot", 1_000, 25_000);
        await market.Market.PostLotAsync(lot, "lot");

        var results = await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            market.Market.PlaceRequestAsync(market.Request($"r{i}", 30, 30_000, buyer: $"b{i}"), $"r{i}")));

        var dealt = results.SelectMany(r => r.Value!.Deals).Sum(d => d.QuantityGrams);
        Assert.Equal(1_000_000L, dealt);
        Assert.Equal(0L, (await Grains.GetGrain<ISupplyLotGrain>(lot.Id).GetAsync())!.RemainingGrams);
        Assert.Equal(33, results.Count(r => r.Value!.Status == RequestView.Filled));
    }

    [Fact]
    public async Task A_retry_with_the_same_body_gets_the_first_receipt_and_another_body_is_refused()
    {
        var market = new MarketScenario(Grains, "retry");
        await market.CreateProductAsync();
        var lot = market.Lot("lot", 100, 25_000);

        var first = await market.Market.PostLotAsync(lot, "body");
        var again = await market.Market.PostLotAsync(lot, "body");
        var other = await market.Market.PostLotAsync(lot with { QuantityGrams = 1 }, "other body");

        Assert.Equal(CommandOutcome.Replayed, again.Outcome);
        Assert.Equivalent(first.Value, again.Value, strict: true);
        Assert.Equal(CommandOutcome.KeyReused, other.Outcome);
        Assert.Single((await market.Market.GetSummaryAsync()).OpenSupply);
    }

    [Fact]
    public async Task Withdraw_and_cancel_take_only_the_unmatched_rest_and_only_once()
    {
        var market = new MarketScenario(Grains, "withdraw");
        await market.CreateProductAsync();
        var lot = market.Lot("lot", 1_000, 25_000);
        await market.Market.PostLotAsync(lot, "lot");
        var request = market.Request("request", 1_500, 30_000);
        await market.Market.PlaceRequestAsync(request, "request");
        var spare = market.Lot("spare", 10, 40_000);
        await market.Market.PostLotAsync(spare, "spare");

        var withdrawn = await market.Market.WithdrawLotAsync(spare.Id);
        var cancelled = await market.Market.CancelRequestAsync(request.Id);

        Assert.Equal((LotView.Withdrawn, 0L), (withdrawn!.Status, withdrawn.RemainingGrams));
        Assert.Equal((RequestView.Cancelled, 1_000_000L), (cancelled!.Status, cancelled.FilledGrams));
        Assert.Null(await market.Market.WithdrawLotAsync(spare.Id));
        Assert.Null(await market.Market.WithdrawLotAsync(lot.Id)); // sold out: nothing left to withdraw
        Assert.Null(await market.Market.CancelRequestAsync(request.Id));
    }

    [Fact]
    public async Task A_market_rebuilt_from_its_journal_and_snapshot_carries_on_where_it_stopped()
    {
        var market = new MarketScenario(Grains, "restart");
        await market.CreateProductAsync();
        // Enough entries to pass a snapshot, and some after it.
        for (var i = 0; i < 230; i++)
        {
            await market.Market.PostLotAsync(market.Lot($"lot{i}", 10, 25_000 + i), $"lot{i}");
        }

        var before = await market.Market.PlaceRequestAsync(market.Request("before", 15, 30_000), "before");
        await fixture.Cluster.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

        var replay = await market.Market.PlaceRequestAsync(market.Request("before", 15, 30_000), "before");
        var after = await market.Market.PlaceRequestAsync(market.Request("after", 10, 30_000), "after");

        Assert.Equal(CommandOutcome.Replayed, replay.Outcome);
        Assert.Equivalent(before.Value, replay.Value, strict: true);
        // "before" took lot0 whole and half of lot1; "after" takes up where it stopped.
        Assert.Equal([$"{market.Product}-lot1", $"{market.Product}-lot2"], after.Value!.Deals.Select(d => d.LotId));
        var summary = await market.Market.GetSummaryAsync();
        Assert.Equal(2_300_000L - 25_000L, summary.OpenSupply.Sum(b => b.Grams));
    }

    [Fact]
    public async Task An_idempotent_retry_a_day_later_and_after_a_restart_still_gets_the_first_receipt()
    {
        var market = new MarketScenario(Grains, "day-later");
        await market.CreateProductAsync();
        var lot = market.Lot("lot", 10, 25_000);
        var first = await market.Market.PostLotAsync(lot, "first body");

        ClusterFixture.Clock.Advance(TimeSpan.FromHours(30));
        // Enough entries for a snapshot, which is when old receipts are forgotten.
        for (var i = 0; i < 210; i++)
        {
            await market.Market.PostLotAsync(market.Lot($"more{i}", 1, 26_000), $"more{i}");
        }

        await fixture.Cluster.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        var retry = await market.Market.PostLotAsync(lot, "first body");

        Assert.Equal(CommandOutcome.Replayed, retry.Outcome);
        Assert.Equivalent(first.Value, retry.Value, strict: true);
    }
}
