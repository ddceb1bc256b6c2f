using CoopMarket.Grains.Market;
using CoopMarket.Grains.Paging;

namespace CoopMarket.Grains.Tests.Market;

/// <summary>Attacks on lot shortfalls and short deliveries: retried keys, storage faults under the entry and its
/// projections, steps racing the shortfall, and a market rebuilt from snapshot and journal. Every test ends with every
/// grain deactivated and the quantities audited from storage, to the gram.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ShortfallAttackTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Grains;

    [Fact]
    public async Task An_earlier_shortfall_key_retried_after_a_later_one_is_replayed_and_with_another_quantity_changes_nothing()
    {
        var market = await MarketAsync("old-key");
        var lot = await market.PostedLotAsync("lot", 30, 25_000);
        var deal = await market.OneDealAsync("r1", "b1", kg: 20);
        await market.Market.ReportShortfallAsync(new LotShortfall(lot.Id, 25_000, "k1"));
        await market.Market.ReportShortfallAsync(new LotShortfall(lot.Id, 20_000, "k2"));

        // The reply to k1 was lost and its retry comes late; a buggy client then reuses k1 with another body.
        var retried = await market.Market.ReportShortfallAsync(new LotShortfall(lot.Id, 25_000, "k1"));
        var reused = await market.Market.ReportShortfallAsync(new LotShortfall(lot.Id, 10_000, "k1"));

        Assert.Equal((ShortfallOutcome.Replayed, ShortfallOutcome.KeyReused), (retried.Outcome, reused.Outcome));
        await fixture.DeactivateAllAsync();
        Assert.Equal(20_000L, (await Grains.GetGrain<IDealGrain>(deal.Id).GetAsync())!.QuantityGrams);
        Assert.Equal(10_000L, (await Grains.GetGrain<ISupplyLotGrain>(lot.Id).GetAsync())!.ShortfallGrams);
        await QuantityAudit.AssertLotsBalancedAsync(Grains, lot.Id);
        await QuantityAudit.AssertRequestsBalancedAsync(Grains, deal.RequestId);
    }

    [Fact]
    public async Task A_shortfall_to_nothing_retried_with_its_key_is_replayed_though_the_lot_left_the_market()
    {
        var market = await MarketAsync("zero-key");
        var lot = await market.PostedLotAsync("lot", 30, 25_000);
        var deal = await market.OneDealAsync("r1", "b1");

        var first = await market.Market.ReportShortfallAsync(new LotShortfall(lot.Id, 0, "gone"));
        var retried = await market.Market.ReportShortfallAsync(new LotShortfall(lot.Id, 0, "gone"));

        Assert.Equal((ShortfallOutcome.Done, ShortfallOutcome.Replayed), (first.Outcome, retried.Outcome));
        Assert.Equal((LotView.Shorted, 30_000L), (retried.Lot!.Status, retried.Lot.ShortfallGrams));
        await fixture.DeactivateAllAsync();
        await QuantityAudit.AssertLotsBalancedAsync(Grains, lot.Id);
        await QuantityAudit.AssertRequestsBalancedAsync(Grains, deal.RequestId);
    }

    [Theory]
    [InlineData(FaultyStorage.Kind.Fail)]
    [InlineData(FaultyStorage.Kind.LoseReply)]
    public async Task A_shortfall_whose_journal_write_fails_or_loses_its_reply_counts_once_after_its_retry(FaultyStorage.Kind fault)
    {
        var market = await MarketAsync($"journal-{fault}");
        var lot = await market.PostedLotAsync("lot", 30, 25_000, cooperative: "coop-1");
        var shrinks = await market.OneDealAsync("r1", "b1", kg: 20);
        await market.Market.PostLotAsync(market.Lot("other", 10, 26_000, cooperative: "coop-2"), "other");
        var shortfall = new LotShortfall(lot.Id, 12_000, "short");

        using (FaultyStorage.Arm($"coopmarket-journal/{market.Product}/", fault))
        {
            await Assert.ThrowsAnyAsync<Exception>(() => market.Market.ReportShortfallAsync(shortfall));
        }

        var retried = await MarketScenario.RetryWhileReloadingAsync(() => market.Market.ReportShortfallAsync(shortfall));
        Assert.Equal(fault == FaultyStorage.Kind.Fail ? ShortfallOutcome.Done : ShortfallOutcome.Replayed, retried.Outcome);
        await fixture.DeactivateAllAsync();

        var lotView = (await Grains.GetGrain<ISupplyLotGrain>(lot.Id).GetAsync())!;
        Assert.Equal((18_000L, 0L), (lotView.ShortfallGrams, lotView.RemainingGrams));
        Assert.Equal((12_000L, 8_000L), await DealGramsAsync(shrinks.Id));
        Assert.Equal((RequestView.Filled, 20_000L), await market.RequestAsync(shrinks.RequestId));
        await QuantityAudit.AssertLotsBalancedAsync(Grains, lot.Id, $"{market.Product}-other");
        await QuantityAudit.AssertRequestsBalancedAsync(Grains, shrinks.RequestId);
    }

    [Fact]
    public async Task A_shortfall_whose_record_writes_fail_reaches_every_record_by_the_next_command()
    {
        var market = await MarketAsync("projection");
        var lot = await market.PostedLotAsync("lot", 30, 25_000, cooperative: "coop-1");
        var shrinks = await market.OneDealAsync("r1", "b1", kg: 20);
        var other = await market.PostedLotAsync("other", 10, 26_000, cooperative: "coop-2");
        var resourced = $"deal-{market.Product}-4-1";

        using (FaultyStorage.Arm($"{lot.Id}/lot", times: 2))
        using (FaultyStorage.Arm($"{shrinks.Id}/deal"))
        using (FaultyStorage.Arm($"{shrinks.RequestId}/request"))
        using (FaultyStorage.Arm($"{resourced}/deal"))
        {
            Assert.Equal(ShortfallOutcome.Done, (await market.Market.ReportShortfallAsync(new LotShortfall(lot.Id, 12_000, "short"))).Outcome);
        }

        await market.Market.PostLotAsync(market.Lot("next", 1, 90_000, cooperative: "coop-3"), "next"); // drains the retries
        await fixture.DeactivateAllAsync();

        Assert.Equal(18_000L, (await Grains.GetGrain<ISupplyLotGrain>(lot.Id).GetAsync())!.ShortfallGrams);
        Assert.Equal((12_000L, 8_000L), await DealGramsAsync(shrinks.Id));
        Assert.Equal((other.Id, 8_000L), ((await Grains.GetGrain<IDealGrain>(resourced).GetAsync())!.LotId,
            (await Grains.GetGrain<IDealGrain>(resourced).GetAsync())!.QuantityGrams));
        Assert.Equal(new LotShortfall(lot.Id, 12_000, "short"), await Grains.GetGrain<ISupplyLotGrain>(lot.Id).FindShortfallAsync("short"));
        await QuantityAudit.AssertLotsBalancedAsync(Grains, lot.Id, other.Id);
        await QuantityAudit.AssertRequestsBalancedAsync(Grains, shrinks.RequestId);
    }

    [Fact]
    public async Task A_short_delivery_whose_journal_reply_is_lost_is_counted_once_after_its_retry()
    {
        var market = await MarketAsync("deliver-lost");
        var lot = await market.PostedLotAsync("lot", 10, 25_000, cooperative: "coop-1");
        var deal = await market.ShippedDealAsync("request", "buyer", kg: 10);
        var other = await market.PostedLotAsync("other", 20, 26_000, cooperative: "coop-2");
        var deliver = new DealCommand(deal.Id, DealStep.Deliver, DealSide.Buyer, "deliver", 6_000);

        using (FaultyStorage.Arm($"coopmarket-journal/{market.Product}/", FaultyStorage.Kind.LoseReply))
        {
            await Assert.ThrowsAnyAsync<Exception>(() => market.Market.TakeDealStepAsync(deliver));
        }

        var retried = await MarketScenario.RetryWhileReloadingAsync(() => market.Market.TakeDealStepAsync(deliver));
        Assert.Equal((DealStepOutcome.Replayed, 4_000L), (retried.Outcome, retried.Change!.UndeliveredGrams));
        await fixture.DeactivateAllAsync();

        Assert.Equal(4_000L, (await Grains.GetGrain<ISupplyLotGrain>(lot.Id).GetAsync())!.UndeliveredGrams);
        Assert.Equal(16_000L, (await Grains.GetGrain<ISupplyLotGrain>(other.Id).GetAsync())!.RemainingGrams);
        Assert.Equal((RequestView.Filled, 10_000L), await market.RequestAsync(deal.RequestId));
        await QuantityAudit.AssertLotsBalancedAsync(Grains, lot.Id, other.Id);
        await QuantityAudit.AssertRequestsBalancedAsync(Grains, deal.RequestId);
    }

    [Fact]
    public async Task Shortfalls_racing_confirm_ship_cancel_deliver_and_new_requests_under_lost_replies_keep_every_gram()
    {
        var market = await MarketAsync("race");
        var lot = await market.PostedLotAsync("lot", 60, 25_000, cooperative: "coop-a");
        var requests = new List<RequestTerms>();
        var deals = new List<Deal>();
        for (var i = 0; i < 8; i++)
        {
            var request = market.Request($"request{i}", 5, 30_000, buyer: $"buyer{i}");
            requests.Add(request);
            deals.Add(Assert.Single((await market.Market.PlaceRequestAsync(request, $"request{i}")).Value!.Deals));
        }

        foreach (var deal in deals.Take(4))
        {
            await market.StepAsync(deal, DealStep.Confirm, DealSide.Cooperative);
        }

        await market.StepAsync(deals[0], DealStep.Ship, DealSide.Cooperative);
        await market.StepAsync(deals[1], DealStep.Ship, DealSide.Cooperative);
        var spare = await market.PostedLotAsync("spare", 40, 26_000, cooperative: "coop-b");
        var late = Enumerable.Range(0, 3).Select(i => market.Request($"late{i}", 6, 30_000, buyer: $"late{i}")).ToList();
        requests.AddRange(late);

        using (FaultyStorage.Arm($"coopmarket-journal/{market.Product}/", FaultyStorage.Kind.LoseReply, times: 3))
        {
            List<Func<Task>> calls =
            [
                () => market.Market.ReportShortfallAsync(new LotShortfall(lot.Id, 30_000, "s1")),
                () => market.Market.ReportShortfallAsync(new LotShortfall(lot.Id, 18_000, "s2")),
                () => market.Market.TakeDealStepAsync(new DealCommand(deals[0].Id, DealStep.Deliver, DealSide.Buyer, "d0", 3_000)),
                () => market.Market.TakeDealStepAsync(new DealCommand(deals[1].Id, DealStep.Deliver, DealSide.Buyer, "d1", 5_000)),
                () => market.Market.TakeDealStepAsync(new DealCommand(deals[2].Id, DealStep.Ship, DealSide.Cooperative, "p2")),
                () => market.Market.TakeDealStepAsync(new DealCommand(deals[3].Id, DealStep.Cancel, DealSide.Buyer, "x3")),
                () => market.Market.TakeDealStepAsync(new DealCommand(deals[4].Id, DealStep.Confirm, DealSide.Cooperative, "c4")),
                () => market.Market.TakeDealStepAsync(new DealCommand(deals[5].Id, DealStep.Reject, DealSide.Cooperative, "r5")),
                .. late.Select(r => (Func<Task>)(() => market.Market.PlaceRequestAsync(r, r.Id))),
            ];
            await Task.WhenAll(calls.Select(call => TryAsync(call)));
            // Each call again, as a client whose reply was lost retries with its key. A lost reply fails every command
            // that shared its write or was decided after it, so a retry may meet the next lost reply too: one round per
            // fault makes sure each call was answered once.
            for (var round = 0; round < 3; round++)
            {
                await Task.WhenAll(calls.Select(call => TryAsync(call)));
            }
        }

        await market.Market.PostLotAsync(market.Lot("drain", 1, 90_000, cooperative: "coop-c"), "drain");
        var before = MarketScenario.Describe(await market.Market.GetSummaryAsync());
        await fixture.DeactivateAllAsync();

        Assert.Equal(before, MarketScenario.Describe(await market.Market.GetSummaryAsync()));
        await QuantityAudit.AssertLotsBalancedAsync(Grains, lot.Id, spare.Id);
        await QuantityAudit.AssertRequestsBalancedAsync(Grains, requests.Select(r => r.Id));
        // Whichever came first, the lower quantity stands (the higher one, after it, is not less) and counts once.
        Assert.Equal(18_000L, (await Grains.GetGrain<ISupplyLotGrain>(lot.Id).GetAsync())!.QuantityGrams);
    }

    [Fact]
    public async Task A_market_rebuilt_from_a_snapshot_written_after_shortfalls_and_short_deliveries_acts_as_the_one_that_wrote_them()
    {
        var market = await MarketAsync("snapshot");
        var lot = await market.PostedLotAsync("lot", 30, 25_000, cooperative: "coop-1");
        var shrinks = await market.OneDealAsync("r1", "b1", kg: 10);
        var shipped = await market.ShippedDealAsync("r2", "b2", kg: 10);
        await market.Market.ReportShortfallAsync(new LotShortfall(lot.Id, 15_000, "k1"));
        // Enough entries for a snapshot to hold the short lot, the shrunk deal and the last key.
        for (var i = 0; i < 200; i++)
        {
            await market.Market.PostLotAsync(market.Lot($"filler{i}", 1, 90_000 + i, cooperative: "coop-f"), $"filler{i}");
        }

        var snapshot = await FaultyStorage.ReadAsync<MarketSnapshot>("snapshot", GrainId.Create("coopmarket-snapshot", market.Product));
        Assert.True(snapshot!.ThroughEntry >= 200);
        var before = MarketScenario.Describe(await market.Market.GetSummaryAsync());
        await fixture.DeactivateAllAsync();

        Assert.Equal(before, MarketScenario.Describe(await market.Market.GetSummaryAsync()));
        Assert.Equal(ShortfallOutcome.Replayed, (await market.Market.ReportShortfallAsync(new LotShortfall(lot.Id, 15_000, "k1"))).Outcome);
        var least = await market.Market.ReportShortfallAsync(new LotShortfall(lot.Id, 1_000, null));
        Assert.Equal((ShortfallOutcome.BelowShipped, 15_000L, 10_000L), (least.Outcome, least.QuantityGrams, least.LeastGrams));
        // The shrunk deal is live with what it has left: it confirms, and a delivery of more than it holds is refused.
        await market.StepAsync(shrinks, DealStep.Confirm, DealSide.Cooperative);
        await market.StepAsync(shrinks, DealStep.Ship, DealSide.Cooperative);
        await Assert.ThrowsAnyAsync<ArgumentException>(() => market.StepAsync(shrinks, DealStep.Deliver, DealSide.Buyer, 5_001));
        await market.StepAsync(shrinks, DealStep.Deliver, DealSide.Buyer, 4_000);
        await market.StepAsync(shipped, DealStep.Deliver, DealSide.Buyer, 10_000);
        await fixture.DeactivateAllAsync();

        var lotView = (await Grains.GetGrain<ISupplyLotGrain>(lot.Id).GetAsync())!;
        Assert.Equal((15_000L, 1_000L, 0L), (lotView.ShortfallGrams, lotView.UndeliveredGrams, lotView.RemainingGrams));
        await QuantityAudit.AssertLotsBalancedAsync(Grains, lot.Id);
        await QuantityAudit.AssertRequestsBalancedAsync(Grains, shrinks.RequestId, shipped.RequestId);
    }

    [Fact]
    public async Task A_deal_shipped_before_shipped_deals_kept_their_lot_still_delivers_short_from_an_older_snapshot()
    {
        var market = await MarketAsync("legacy");
        var lot = await market.PostedLotAsync("lot", 10, 25_000, cooperative: "coop-1");
        var deal = await market.ShippedDealAsync("request", "buyer", kg: 10);
        for (var i = 0; i < 197; i++)
        {
            await market.Market.PostLotAsync(market.Lot($"filler{i}", 1, 90_000 + i, cooperative: "coop-f"), $"filler{i}");
        }

        // The snapshot as the market wrote it before shipped deals could give grams back: once the deal shipped, the
        // sold-out lot and the filled request had no deal that could, so the market let both go.
        var snapshot = (await StoredSnapshot.ReadAsync(market.Product))!;
        Assert.Equal((1, 1), (snapshot.Pages.Sum(p => p.Lots.RemoveAll(l => l.Terms.Id == lot.Id)),
            snapshot.Pages.Sum(p => p.Requests.RemoveAll(r => r.Terms.Id == deal.RequestId))));
        await snapshot.RewritePagesAsync();
        await fixture.DeactivateAllAsync();

        var delivered = await market.Market.TakeDealStepAsync(new DealCommand(deal.Id, DealStep.Deliver, DealSide.Buyer, null, 6_000));
        var settled = await market.StepAsync(deal, DealStep.Settle, DealSide.Buyer);

        Assert.Equal((DealStepOutcome.Done, DealStepOutcome.Done), (delivered.Outcome, settled.Outcome));
        Assert.Equal((Deal.Settled, 6_000L), ((await Grains.GetGrain<IDealGrain>(deal.Id).GetAsync())!.Status,
            (await Grains.GetGrain<IDealGrain>(deal.Id).GetAsync())!.DeliveredGrams!.Value));
    }

    private static async Task TryAsync(Func<Task> call)
    {
        try
        {
            await call();
        }
        catch (Exception e) when (e is TimeoutException or MarketReloadingException or OrleansMessageRejectionException)
        {
            // A lost reply, or a call that met the market reloading after one: the retry with its key finds out.
        }
    }

    private Task<MarketScenario> MarketAsync(string name) => MarketScenario.CreateAsync(Grains, $"short-attack-{name}");

    private async Task<(long, long)> DealGramsAsync(string dealId)
    {
        var deal = (await Grains.GetGrain<IDealGrain>(dealId).GetAsync())!;
        return (deal.QuantityGrams, deal.ShortGrams);
    }
}
