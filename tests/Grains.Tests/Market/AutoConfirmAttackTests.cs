using CoopMarket.Grains.Market;
using CoopMarket.Grains.Paging;
using CoopMarket.Grains.Participants;

namespace CoopMarket.Grains.Tests.Market;

/// <summary>Attacks on auto-confirm rules and the market's one write path: a cooperative's rules against the copy each
/// market holds (a market it starts selling in later, a market the change could not reach, a lost reply), and deadlines
/// expiring together under journal faults, audited from storage after every grain is deactivated.</summary>
[Collection(ClusterCollection.Name)]
public sealed class AutoConfirmAttackTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Grains;

    [Fact]
    public async Task Rules_set_before_a_cooperative_sells_in_a_market_confirm_the_deals_that_market_makes_from_its_first_lot()
    {
        var first = await MarketAsync("ac-first");
        var lot = await first.PostedLotAsync("lot", 10, 25_000);
        var buyer = $"{first.Product}-trusted";
        var rules = await Grains.GetGrain<IAutoConfirmGrain>(lot.CooperativeId).SetAsync([buyer], []);

        // The cooperative starts selling in a second market after its rules were set.
        var second = await MarketAsync("ac-second");
        var later = second.Lot("lot", 10, 25_000) with { CooperativeId = lot.CooperativeId };
        var atPost = second.Request("early", 2, 30_000) with { BuyerId = buyer };
        await second.Market.PlaceRequestAsync(atPost, atPost.Id);
        var madeAtPost = Assert.Single((await second.Market.PostLotAsync(later, "lot")).Value!.Deals);
        var madeAfter = await second.OneDealAsync(second.Request("after", 2, 30_000) with { BuyerId = buyer });

        Assert.Equal((1L, Deal.Confirmed, Deal.Confirmed), (rules.Version, madeAtPost.Status, madeAfter.Status));
        await fixture.DeactivateAllAsync();
        Assert.Equal(Deal.Confirmed, (await Grains.GetGrain<IDealGrain>(madeAtPost.Id).GetAsync())!.Status);
        Assert.Equal(Deal.Confirmed, (await second.OneDealAsync(second.Request("rebuilt", 2, 30_000) with { BuyerId = buyer })).Status);
        await QuantityAudit.AssertLotsBalancedAsync(Grains, later.Id);
    }

    [Theory]
    [InlineData(FaultyStorage.Kind.Fail)]
    [InlineData(FaultyStorage.Kind.LoseReply)]
    public async Task A_rule_change_one_market_did_not_take_reaches_it_on_the_next_try_and_never_undoes_a_newer_one(FaultyStorage.Kind fault)
    {
        var reached = await MarketAsync($"ac-reached-{fault}");
        var missed = await MarketAsync($"ac-missed-{fault}");
        var lot = reached.Lot("lot", 30, 25_000);
        var other = missed.Lot("lot", 30, 25_000) with { CooperativeId = lot.CooperativeId };
        await reached.Market.PostLotAsync(lot, "lot");
        await missed.Market.PostLotAsync(other, "lot");
        var buyer = $"{reached.Product}-trusted";
        var owner = Grains.GetGrain<IAutoConfirmGrain>(lot.CooperativeId);

        using (FaultyStorage.Arm($"coopmarket-journal/{missed.Product}/", fault))
        {
            Assert.Equal(1, (await owner.SetAsync([buyer], [])).Version);
        }

        Assert.Equal(Deal.Confirmed, (await reached.OneDealAsync(reached.Request("r1", 2, 30_000) with { BuyerId = buyer })).Status);
        // The reminder's next try; a late, repeated delivery of version 1 after version 2 must change nothing.
        await owner.AsReference<IRemindable>().ReceiveReminder("auto-confirm-send", default);
        Assert.Equal(Deal.Confirmed, (await MarketScenario.RetryWhileReloadingAsync(() => missed.OneDealAsync(missed.Request("m1", 2, 30_000) with { BuyerId = buyer }))).Status);
        Assert.Equal(2, (await owner.SetAsync([], [])).Version);
        await missed.Market.SetAutoConfirmAsync(lot.CooperativeId, new AutoConfirmRules([buyer], [], 1));
        Assert.Equal(Deal.Proposed, (await missed.OneDealAsync(missed.Request("m2", 2, 30_000) with { BuyerId = buyer })).Status);

        await fixture.DeactivateAllAsync();
        Assert.Equal(Deal.Proposed, (await missed.OneDealAsync(missed.Request("m3", 2, 30_000) with { BuyerId = buyer })).Status);
        Assert.Equal(Deal.Proposed, (await reached.OneDealAsync(reached.Request("r2", 2, 30_000) with { BuyerId = buyer })).Status);
        await QuantityAudit.AssertLotsBalancedAsync(Grains, lot.Id, other.Id);
    }

    [Fact]
    public async Task A_rule_change_whose_own_write_failed_leaves_the_rules_as_they_were_and_a_retry_makes_it()
    {
        var market = await MarketAsync("ac-own-write");
        var lot = await market.PostedLotAsync("lot", 30, 25_000);
        var buyer = $"{market.Product}-trusted";
        var owner = Grains.GetGrain<IAutoConfirmGrain>(lot.CooperativeId);
        var before = Describe(await owner.SetAsync([buyer], []));

        using (FaultyStorage.Arm($"{owner.GetGrainId()}/autoconfirm"))
        {
            await Assert.ThrowsAnyAsync<Exception>(() => owner.SetAsync([], []));
        }

        // Neither the owner (in memory or in storage) nor the market heard of the change that was not stored.
        Assert.Equal(before, Describe(await owner.GetAsync()));
        Assert.Equal(before, Describe((await FaultyStorage.ReadAsync<AutoConfirmState>("autoconfirm", owner.GetGrainId()))!.Rules));
        Assert.Equal(Deal.Confirmed, (await market.OneDealAsync(market.Request("kept", 2, 30_000) with { BuyerId = buyer })).Status);

        // The cooperative's retry of the same change finds it not yet made, stores it and carries it to the market.
        var retried = Describe(await owner.SetAsync([], []));
        Assert.Equal(("", 2L), retried);
        Assert.Equal(retried, Describe((await FaultyStorage.ReadAsync<AutoConfirmState>("autoconfirm", owner.GetGrainId()))!.Rules));
        Assert.Equal(Deal.Proposed, (await market.OneDealAsync(market.Request("changed", 2, 30_000) with { BuyerId = buyer })).Status);
        await fixture.DeactivateAllAsync();
        Assert.Equal(retried, Describe(await owner.GetAsync()));
        await QuantityAudit.AssertLotsBalancedAsync(Grains, lot.Id);
    }

    [Theory]
    [InlineData(FaultyStorage.Kind.Fail)]
    [InlineData(FaultyStorage.Kind.LoseReply)]
    public async Task Deadlines_expiring_together_under_a_journal_fault_expire_each_deal_once_and_source_their_requests_once(FaultyStorage.Kind fault)
    {
        var market = await MarketAsync($"ac-expire-{fault}");
        // Dates from the shared clock, which other tests move on: the spare lot must still source the requests after it.
        var today = DateOnly.FromDateTime(ClusterFixture.Clock.GetUtcNow().ToOffset(MarketTime.VietnamOffset).DateTime);
        LotTerms Lot(string id, long kg, long ask, string cooperative) =>
            market.Lot(id, kg, ask, cooperative) with { HarvestFrom = today.AddDays(3), HarvestTo = today.AddDays(6) };
        var lot = Lot("lot", 40, 25_000, cooperative: "coop-a");
        await market.Market.PostLotAsync(lot, "lot");
        var requests = Enumerable.Range(0, 6).Select(i => market.Request($"request{i}", 5, 30_000, buyer: $"buyer{i}") with
        {
            DeliverFrom = today.AddDays(5),
            DeliverBy = today.AddDays(12),
        }).ToList();
        var deals = new List<Deal>();
        foreach (var request in requests)
        {
            deals.Add(await market.OneDealAsync(request));
        }

        await market.Market.TakeDealStepAsync(new DealCommand(deals[0].Id, DealStep.Confirm, DealSide.Cooperative, null));
        // A second lot, whose cooperative confirms by rule, sources the expired deals' requests again in the same entry.
        var spare = Lot("spare", 12, 26_000, cooperative: "coop-b");
        await market.Market.WithdrawLotAsync(lot.Id);
        await market.Market.PostLotAsync(spare, "spare");
        await Grains.GetGrain<IAutoConfirmGrain>(spare.CooperativeId).SetAsync([requests[1].BuyerId], []);
        var beforeExpiry = await market.Market.GetSummaryAsync();

        ClusterFixture.Clock.Advance(TimeSpan.FromHours(49));
        var reminder = market.Market.AsReference<IRemindable>();
        using (FaultyStorage.Arm($"coopmarket-journal/{market.Product}/", fault))
        {
            await Assert.ThrowsAnyAsync<Exception>(() => reminder.ReceiveReminder("confirm-deadlines", default));
        }

        await MarketScenario.RetryWhileReloadingAsync(async () =>
        {
            await reminder.ReceiveReminder("confirm-deadlines", default);
            return true;
        });
        var summary = MarketScenario.Describe(await market.Market.GetSummaryAsync());
        await fixture.DeactivateAllAsync();

        Assert.NotEqual(MarketScenario.Describe(beforeExpiry), summary);
        Assert.Equal(summary, MarketScenario.Describe(await market.Market.GetSummaryAsync()));
        Assert.Equal(Deal.Confirmed, (await Grains.GetGrain<IDealGrain>(deals[0].Id).GetAsync())!.Status);
        foreach (var deal in deals.Skip(1))
        {
            var record = Grains.GetGrain<IDealGrain>(deal.Id);
            Assert.Equal(Deal.Expired, (await record.GetAsync())!.Status);
            Assert.Single(await record.GetStepsAsync(), s => s.Status == Deal.Expired);
        }

        // The withdrawn lot's cooperative got its rest and the expired grams back; the spare lot sourced 12 kg of them, once.
        Assert.Equal((0L, 35_000L), await LotAsync(lot.Id));
        var resourced = (await Grains.GetGrain<IPurchaseRequestGrain>(requests[1].Id).GetDealIdsAsync(PageRequest.First)).Ids;
        Assert.Equal(Deal.Confirmed, (await Grains.GetGrain<IDealGrain>(resourced[0]).GetAsync())!.Status);
        Assert.Equal(0L, (await Grains.GetGrain<ISupplyLotGrain>(spare.Id).GetAsync())!.RemainingGrams);
        await QuantityAudit.AssertLotsBalancedAsync(Grains, lot.Id, spare.Id);
        await QuantityAudit.AssertRequestsBalancedAsync(Grains, requests.Select(r => r.Id));
    }

    private static (string BuyerIds, long Version) Describe(AutoConfirmRules rules) => (string.Join(",", rules.BuyerIds), rules.Version);

    private async Task<(long, long)> LotAsync(string lotId)
    {
        var view = (await Grains.GetGrain<ISupplyLotGrain>(lotId).GetAsync())!;
        return (view.RemainingGrams, view.ReturnedGrams);
    }

    private Task<MarketScenario> MarketAsync(string name) => MarketScenario.CreateAsync(Grains, name);
}
