using CoopMarket.Grains.Market;
using CoopMarket.Grains.Notifications;
using CoopMarket.Matching;
using CoopMarket.Grains.Paging;
using CoopMarket.Grains.Participants;

namespace CoopMarket.Grains.Tests.Market;

/// <summary>A lot that falls short and a delivery that arrives short: the market takes the grams off the unsold rest,
/// then off the deals not yet shipped, newest first, sources each request that lost grams again at once (its value chain
/// first), and the quantity audit still balances to the gram.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ShortfallTests(ClusterFixture fixture)
{
    private const string Chain = "vc-pomelo";

    private IGrainFactory Grains => fixture.Grains;

    [Fact]
    public async Task A_short_lot_shrinks_its_deal_and_the_request_is_sourced_again_from_its_value_chain_before_a_cheaper_lot()
    {
        var market = await MarketAsync("chain");
        var short1 = market.Lot("a", 30, 25_000, cooperative: "coop-1") with { ValueChains = [Chain] };
        await market.Market.PostLotAsync(short1, "a");
        var request = market.Request("request", 20, 30_000) with { ValueChainId = Chain, ChainPolicy = AllocationPolicy.ChainFirst };
        var deal = Assert.Single((await market.Market.PlaceRequestAsync(request, "request")).Value!.Deals);
        await market.StepAsync(deal, DealStep.Confirm, DealSide.Cooperative);
        var member = market.Lot("b", 30, 27_000, cooperative: "coop-2") with { ValueChains = [Chain] };
        var cheaper = market.Lot("c", 30, 20_000, cooperative: "coop-3");
        await market.Market.PostLotAsync(member, "b");
        await market.Market.PostLotAsync(cheaper, "c");

        var result = await market.Market.ReportShortfallAsync(new LotShortfall(short1.Id, 5_000, "s1"));

        Assert.Equal(ShortfallOutcome.Done, result.Outcome);
        Assert.Equal((LotView.Sold, 0L, 25_000L, 5_000L), (result.Lot!.Status, result.Lot.RemainingGrams, result.Lot.ShortfallGrams, result.Lot.QuantityGrams));
        var shrunk = (await Grains.GetGrain<IDealGrain>(deal.Id).GetAsync())!;
        Assert.Equal((Deal.Confirmed, 5_000L, 15_000L), (shrunk.Status, shrunk.QuantityGrams, shrunk.ShortGrams));
        var resourced = Assert.Single(await DealsOfAsync(request.Id, except: deal.Id));
        Assert.Equal((member.Id, 15_000L, true), (resourced.LotId, resourced.QuantityGrams, resourced.Reason!.ValueChainMember));
        Assert.Equal(30_000L, (await Grains.GetGrain<ISupplyLotGrain>(cheaper.Id).GetAsync())!.RemainingGrams);
        var requestView = (await Grains.GetGrain<IPurchaseRequestGrain>(request.Id).GetAsync())!;
        Assert.Equal((RequestView.Filled, 20_000L), (requestView.Status, requestView.FilledGrams));
        await QuantityAudit.AssertLotsBalancedAsync(Grains, short1.Id, member.Id, cheaper.Id);
        await QuantityAudit.AssertRequestsBalancedAsync(Grains, request.Id);

        // Both sides of the shrunk deal hear of the shortfall; the buyer also hears its request was sourced again.
        Assert.Contains((NoticeKind.Shortfall, deal.Id), await KindsAsync(IInboxGrain.CooperativeKey(deal.CooperativeId)));
        Assert.Equal(
            [(NoticeKind.DealProposed, deal.Id), (NoticeKind.DealConfirmed, deal.Id), (NoticeKind.Shortfall, deal.Id),
                (NoticeKind.DealProposed, resourced.Id), (NoticeKind.Resourced, resourced.Id)],
            await KindsAsync(IInboxGrain.BuyerKey(deal.BuyerId)));
        Assert.Equal([(NoticeKind.DealProposed, resourced.Id)], await KindsAsync(IInboxGrain.CooperativeKey(resourced.CooperativeId)));
    }

    [Fact]
    public async Task A_deal_that_sources_the_request_again_and_that_a_rule_confirms_is_told_confirmed_not_short()
    {
        var market = await MarketAsync("rule");
        var lot = await market.PostedLotAsync("a", 20, 25_000, cooperative: "coop-1");
        var deal = await market.OneDealAsync("request", "buyer", kg: 20);
        var trusting = market.Lot("b", 30, 26_000, cooperative: "coop-2");
        await Grains.GetGrain<IAutoConfirmGrain>(trusting.CooperativeId).SetAsync([deal.BuyerId], []);
        await market.Market.PostLotAsync(trusting, "b");

        Assert.Equal(ShortfallOutcome.Done, (await market.Market.ReportShortfallAsync(new LotShortfall(lot.Id, 5_000, "s"))).Outcome);

        // One entry shrinks the deal and makes the rule-confirmed one: each deal is told what happened to it.
        var resourced = Assert.Single(await DealsOfAsync(deal.RequestId, except: deal.Id));
        Assert.Equal((trusting.Id, Deal.Confirmed), (resourced.LotId, resourced.Status));
        Assert.Equal([(NoticeKind.DealProposed, resourced.Id), (NoticeKind.DealConfirmed, resourced.Id)],
            await KindsAsync(IInboxGrain.CooperativeKey(trusting.CooperativeId)));
        Assert.Contains((NoticeKind.Shortfall, deal.Id), await KindsAsync(IInboxGrain.CooperativeKey(lot.CooperativeId)));
        await QuantityAudit.AssertLotsBalancedAsync(Grains, lot.Id, trusting.Id);
        await QuantityAudit.AssertRequestsBalancedAsync(Grains, deal.RequestId);
    }

    [Fact]
    public async Task The_newest_deals_shrink_first_and_a_deal_left_with_nothing_is_shorted()
    {
        var market = await MarketAsync("newest");
        var lot = await market.PostedLotAsync("lot", 30, 25_000);
        var first = await market.OneDealAsync("r1", "b1");
        var second = await market.OneDealAsync("r2", "b2");
        var third = await market.OneDealAsync("r3", "b3");
        await market.StepAsync(first, DealStep.Confirm, DealSide.Cooperative);

        var result = await market.Market.ReportShortfallAsync(new LotShortfall(lot.Id, 15_000, null));

        Assert.Equal(ShortfallOutcome.Done, result.Outcome);
        Assert.Equal(
            [(Deal.Confirmed, 10_000L), (Deal.Proposed, 5_000L), (Deal.Shorted, 0L)],
            await Task.WhenAll(new[] { first, second, third }.Select(async d =>
            {
                var record = (await Grains.GetGrain<IDealGrain>(d.Id).GetAsync())!;
                return (record.Status, record.QuantityGrams);
            })));
        // Nothing else can source them: the short lot is out of the running.
        Assert.Equal((RequestView.Partial, 5_000L), await market.RequestAsync(second.RequestId));
        Assert.Equal((RequestView.Open, 0L), await market.RequestAsync(third.RequestId));
        await QuantityAudit.AssertLotsBalancedAsync(Grains, lot.Id);
        await QuantityAudit.AssertRequestsBalancedAsync(Grains, first.RequestId, second.RequestId, third.RequestId);

        // The shrunk proposed deal still expires on its deadline, with the grams it has left.
        ClusterFixture.Clock.Advance(TimeSpan.FromHours(49));
        await Grains.GetGrain<IMarketGrain>(market.Product).AsReference<IRemindable>().ReceiveReminder("confirm-deadlines", default);
        Assert.Equal(Deal.Expired, (await Grains.GetGrain<IDealGrain>(second.Id).GetAsync())!.Status);
        Assert.Equal(5_000L, (await Grains.GetGrain<ISupplyLotGrain>(lot.Id).GetAsync())!.RemainingGrams);
        await QuantityAudit.AssertLotsBalancedAsync(Grains, lot.Id);
        await QuantityAudit.AssertRequestsBalancedAsync(Grains, first.RequestId, second.RequestId, third.RequestId);
    }

    [Fact]
    public async Task Shipped_deals_are_never_touched_and_a_lot_cannot_fall_below_what_shipped()
    {
        var market = await MarketAsync("shipped");
        var lot = await market.PostedLotAsync("lot", 30, 25_000);
        var shipped = await market.OneDealAsync("r1", "b1");
        var confirmed = await market.OneDealAsync("r2", "b2");
        await market.StepAsync(shipped, DealStep.Confirm, DealSide.Cooperative);
        await market.StepAsync(shipped, DealStep.Ship, DealSide.Cooperative);
        await market.StepAsync(confirmed, DealStep.Confirm, DealSide.Cooperative);

        var tooLow = await market.Market.ReportShortfallAsync(new LotShortfall(lot.Id, 9_999, null));
        var notLess = await market.Market.ReportShortfallAsync(new LotShortfall(lot.Id, 30_000, null));
        var done = await market.Market.ReportShortfallAsync(new LotShortfall(lot.Id, 10_000, null));

        Assert.Equal((ShortfallOutcome.BelowShipped, 30_000L, 10_000L), (tooLow.Outcome, tooLow.QuantityGrams, tooLow.LeastGrams));
        Assert.Equal(ShortfallOutcome.NotLess, notLess.Outcome);
        Assert.Equal(ShortfallOutcome.Done, done.Outcome);
        var kept = (await Grains.GetGrain<IDealGrain>(shipped.Id).GetAsync())!;
        Assert.Equal((Deal.Shipped, 10_000L, 0L), (kept.Status, kept.QuantityGrams, kept.ShortGrams));
        Assert.Equal((Deal.Shorted, 0L), ((await Grains.GetGrain<IDealGrain>(confirmed.Id).GetAsync())!.Status,
            (await Grains.GetGrain<IDealGrain>(confirmed.Id).GetAsync())!.QuantityGrams));
        Assert.Equal(DealStepOutcome.NotLive, (await market.StepAsync(confirmed, DealStep.Ship, DealSide.Cooperative)).Outcome);
        Assert.Equal(ShortfallOutcome.BelowShipped, (await market.Market.ReportShortfallAsync(new LotShortfall(lot.Id, 9_000, null))).Outcome);
        await QuantityAudit.AssertLotsBalancedAsync(Grains, lot.Id);
        await QuantityAudit.AssertRequestsBalancedAsync(Grains, shipped.RequestId, confirmed.RequestId);
    }

    [Fact]
    public async Task A_lot_that_falls_to_nothing_is_shorted_with_its_deals_and_leaves_the_market()
    {
        var market = await MarketAsync("zero");
        var lot = await market.PostedLotAsync("lot", 30, 25_000);
        var deal = await market.OneDealAsync("r1", "b1");

        var result = await market.Market.ReportShortfallAsync(new LotShortfall(lot.Id, 0, null));

        Assert.Equal((ShortfallOutcome.Done, LotView.Shorted, 30_000L, 0L), (result.Outcome, result.Lot!.Status, result.Lot.ShortfallGrams, result.Lot.QuantityGrams));
        Assert.Equal(Deal.Shorted, (await Grains.GetGrain<IDealGrain>(deal.Id).GetAsync())!.Status);
        Assert.Equal((RequestView.Open, 0L), await market.RequestAsync(deal.RequestId));
        Assert.Equal(ShortfallOutcome.Closed, (await market.Market.ReportShortfallAsync(new LotShortfall(lot.Id, 0, null))).Outcome);
        Assert.Empty((await market.Market.GetSummaryAsync()).OpenSupply);
        await QuantityAudit.AssertLotsBalancedAsync(Grains, lot.Id);
        await QuantityAudit.AssertRequestsBalancedAsync(Grains, deal.RequestId);
    }

    [Fact]
    public async Task Grams_delivered_short_of_what_shipped_are_counted_on_the_lot_and_sourced_again_elsewhere()
    {
        var market = await MarketAsync("delivered");
        var lot = await market.PostedLotAsync("lot", 10, 25_000, cooperative: "coop-1");
        var deal = await market.ShippedDealAsync("request", "buyer", kg: 10);
        var other = await market.PostedLotAsync("other", 20, 26_000, cooperative: "coop-2");

        var delivered = await market.StepAsync(deal, DealStep.Deliver, DealSide.Buyer, delivered: 7_000);

        Assert.Equal((Deal.Delivered, 3_000L), (delivered.Change!.Status, delivered.Change.UndeliveredGrams));
        var record = (await Grains.GetGrain<IDealGrain>(deal.Id).GetAsync())!;
        Assert.Equal((10_000L, 7_000L), (record.QuantityGrams, record.DeliveredGrams));
        var resourced = Assert.Single(await DealsOfAsync(deal.RequestId, except: deal.Id));
        Assert.Equal((other.Id, 3_000L), (resourced.LotId, resourced.QuantityGrams));
        var lotView = (await Grains.GetGrain<ISupplyLotGrain>(lot.Id).GetAsync())!;
        Assert.Equal((LotView.Sold, 3_000L), (lotView.Status, lotView.UndeliveredGrams));
        Assert.Equal((RequestView.Filled, 10_000L), await market.RequestAsync(deal.RequestId));
        Assert.Contains((NoticeKind.Resourced, resourced.Id), await KindsAsync(IInboxGrain.BuyerKey(deal.BuyerId)));
        await QuantityAudit.AssertLotsBalancedAsync(Grains, lot.Id, other.Id);
        await QuantityAudit.AssertRequestsBalancedAsync(Grains, deal.RequestId);

        // Settled after a short delivery, it still counts what arrived.
        await market.StepAsync(deal, DealStep.Settle, DealSide.Buyer, reference: "paid");
        await QuantityAudit.AssertLotsBalancedAsync(Grains, lot.Id, other.Id);
        await QuantityAudit.AssertRequestsBalancedAsync(Grains, deal.RequestId);
    }

    [Fact]
    public async Task A_shortfall_retried_with_its_key_is_answered_again_and_changes_nothing()
    {
        var market = await MarketAsync("retry");
        var lot = await market.PostedLotAsync("lot", 30, 25_000);
        var deal = await market.OneDealAsync("r1", "b1", kg: 20);

        var first = await market.Market.ReportShortfallAsync(new LotShortfall(lot.Id, 15_000, "k1"));
        var again = await market.Market.ReportShortfallAsync(new LotShortfall(lot.Id, 15_000, "k1"));
        var reused = await market.Market.ReportShortfallAsync(new LotShortfall(lot.Id, 12_000, "k1"));

        Assert.Equal((ShortfallOutcome.Done, ShortfallOutcome.Replayed, ShortfallOutcome.KeyReused), (first.Outcome, again.Outcome, reused.Outcome));
        Assert.Equal(Describe(first.Lot!), Describe(again.Lot!));
        Assert.Equal(new LotShortfall(lot.Id, 15_000, "k1"), await Grains.GetGrain<ISupplyLotGrain>(lot.Id).FindShortfallAsync("k1"));
        Assert.Equal(15_000L, (await Grains.GetGrain<IDealGrain>(deal.Id).GetAsync())!.QuantityGrams);

        // The market remembers the key across a restart, from its journal.
        await fixture.DeactivateAllAsync();
        Assert.Equal(ShortfallOutcome.Replayed, (await market.Market.ReportShortfallAsync(new LotShortfall(lot.Id, 15_000, "k1"))).Outcome);
        await QuantityAudit.AssertLotsBalancedAsync(Grains, lot.Id);
        await QuantityAudit.AssertRequestsBalancedAsync(Grains, deal.RequestId);
    }

    [Fact]
    public async Task A_lot_that_falls_short_many_times_keeps_a_record_of_one_size_and_answers_every_key_again()
    {
        var market = await MarketAsync("many");
        var lot = await market.PostedLotAsync("lot", 100, 25_000);
        var record = Grains.GetGrain<ISupplyLotGrain>(lot.Id);
        for (var k = 1; k <= 30; k++)
        {
            Assert.Equal(ShortfallOutcome.Done, (await market.Market.ReportShortfallAsync(new LotShortfall(lot.Id, (100 - k) * 1_000L, $"k{k}"))).Outcome);
        }

        // The lot's record is rewritten whole at every change: the keys live beside it, not in it.
        await fixture.DeactivateAllAsync();
        var stored = (await FaultyStorage.ReadAsync<SupplyLotState>("lot", record.GetGrainId()))!;
        Assert.Empty(stored.Shortfalls);
        Assert.Equal(30_000L, stored.View!.ShortfallGrams);
        Assert.Equal(new LotShortfall(lot.Id, 99_000, "k1"), await record.FindShortfallAsync("k1"));
        Assert.Equal(ShortfallOutcome.Replayed, (await market.Market.ReportShortfallAsync(new LotShortfall(lot.Id, 99_000, "k1"))).Outcome);
        Assert.Equal(ShortfallOutcome.KeyReused, (await market.Market.ReportShortfallAsync(new LotShortfall(lot.Id, 50_000, "k2"))).Outcome);
        Assert.Null(await record.FindShortfallAsync("k31"));
        await QuantityAudit.AssertLotsBalancedAsync(Grains, lot.Id);
    }

    [Fact]
    public async Task A_keyed_shortfall_whose_record_landed_with_its_reply_lost_reaches_the_lot_at_the_next_drain()
    {
        var market = await MarketAsync("lost-record");
        var lot = await market.PostedLotAsync("lot", 30, 25_000);
        using (FaultyStorage.Arm($"{lot.Id}/k1/shortfall", FaultyStorage.Kind.LoseReply))
        {
            Assert.Equal(ShortfallOutcome.Done, (await market.Market.ReportShortfallAsync(new LotShortfall(lot.Id, 20_000, "k1"))).Outcome);
        }

        // The lot's update failed with the write whose reply was lost; carried again, it finds its record written.
        await market.PostedLotAsync("next", 1, 90_000);
        await fixture.DeactivateAllAsync();
        var record = Grains.GetGrain<ISupplyLotGrain>(lot.Id);
        Assert.Equal(10_000L, (await record.GetAsync())!.ShortfallGrams);
        Assert.Equal(new LotShortfall(lot.Id, 20_000, "k1"), await record.FindShortfallAsync("k1"));
        await QuantityAudit.AssertLotsBalancedAsync(Grains, lot.Id);
    }

    [Fact]
    public async Task A_shortfall_kept_in_a_lot_s_record_before_keys_had_records_of_their_own_is_still_answered()
    {
        var market = await MarketAsync("legacy");
        var lot = await market.PostedLotAsync("lot", 30, 25_000);
        var record = Grains.GetGrain<ISupplyLotGrain>(lot.Id);
        await fixture.DeactivateAllAsync();
        var id = record.GetGrainId();
        var state = new GrainState<SupplyLotState>();
        await FaultyStorage.Inner!.ReadStateAsync("lot", id, state);
        state.State = state.State! with { Shortfalls = [new LotShortfall(lot.Id, 20_000, "old")] };
        await FaultyStorage.Inner.WriteStateAsync("lot", id, state);

        Assert.Equal(new LotShortfall(lot.Id, 20_000, "old"), await record.FindShortfallAsync("old"));
    }

    [Fact]
    public async Task A_market_reloaded_from_its_snapshot_and_journal_after_shortfalls_holds_the_same_book()
    {
        var market = await MarketAsync("reload");
        var lot = await market.PostedLotAsync("lot", 30, 25_000, cooperative: "coop-1");
        var shrinks = await market.OneDealAsync("r1", "b1", kg: 10);
        var shipped = await market.ShippedDealAsync("r2", "b2", kg: 10);
        await market.Market.PostLotAsync(market.Lot("other", 8, 26_000, cooperative: "coop-2"), "other");
        await market.Market.ReportShortfallAsync(new LotShortfall(lot.Id, 15_000, null));
        await market.StepAsync(shipped, DealStep.Deliver, DealSide.Buyer, delivered: 6_000);
        await market.Market.PlaceRequestAsync(market.Request("r3", 40, 30_000, buyer: "b3"), "r3");
        // Past the snapshot at entry 200, so the reload reads the shortfall from the snapshot, then the journal after it.
        for (var i = 0; i < 195; i++)
        {
            await market.Market.PostLotAsync(market.Lot($"dear{i}", 1, 90_000), $"dear{i}");
        }

        await market.Market.ReportShortfallAsync(new LotShortfall($"{market.Product}-dear0", 500, "after"));
        var before = await market.Market.GetSummaryAsync();

        await fixture.DeactivateAllAsync();

        Assert.Equal(MarketScenario.Describe(before), MarketScenario.Describe(await market.Market.GetSummaryAsync()));
        // The reloaded book knows the lot's quantity now and what shipped: 15 kg, of which 10 kg shipped.
        var least = await market.Market.ReportShortfallAsync(new LotShortfall(lot.Id, 1_000, null));
        Assert.Equal((ShortfallOutcome.BelowShipped, 15_000L, 10_000L), (least.Outcome, least.QuantityGrams, least.LeastGrams));
        Assert.Equal(ShortfallOutcome.Done, (await market.Market.ReportShortfallAsync(new LotShortfall(lot.Id, 10_000, null))).Outcome);
        Assert.Equal(ShortfallOutcome.Replayed, (await market.Market.ReportShortfallAsync(new LotShortfall($"{market.Product}-dear0", 500, "after"))).Outcome);
        await QuantityAudit.AssertLotsBalancedAsync(Grains, lot.Id, $"{market.Product}-other");
        await QuantityAudit.AssertRequestsBalancedAsync(Grains, shrinks.RequestId, shipped.RequestId, $"{market.Product}-r3");
    }

    private static (string, long, long, long) Describe(LotView lot) => (lot.Status, lot.RemainingGrams, lot.ShortfallGrams, lot.Version);

    private Task<MarketScenario> MarketAsync(string name) => MarketScenario.CreateAsync(Grains, $"short-{name}");

    private async Task<Deal[]> DealsOfAsync(string requestId, string except)
    {
        var ids = await Grains.GetGrain<IPurchaseRequestGrain>(requestId).GetDealIdsAsync(PageRequest.First);
        return [.. (await Task.WhenAll(ids.Ids.Where(id => id != except).Select(id => Grains.GetGrain<IDealGrain>(id).GetAsync()))).Select(d => d!)];
    }

    private async Task<(NoticeKind, string)[]> KindsAsync(string inbox)
    {
        var page = await Grains.GetGrain<IInboxGrain>(inbox).GetPageAsync(PageRequest.First);
        return [.. page.Items.Reverse().Select(i => (i.Notice.Kind, i.Notice.DealId))];
    }
}
