using CoopMarket.Grains.Market;

namespace CoopMarket.Grains.Tests.Market;

/// <summary>Attacks on the deal lifecycle's write path: the market as the owner of a deal's grams and of its time,
/// steps racing each other under journal faults, and what the market keeps as history grows.</summary>
[Collection(ClusterCollection.Name)]
public sealed class DealLifecycleAttackTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Grains;

    [Fact]
    public async Task A_proposed_deal_cannot_be_confirmed_once_its_delivery_day_has_passed()
    {
        var market = await MarketAsync("attack-late-confirm");
        var today = ClusterFixture.Clock.Today();
        var lot = market.Lot("lot", 10, 25_000) with { HarvestFrom = today.AddDays(-1), HarvestTo = today.AddDays(1) };
        await market.Market.PostLotAsync(lot, "lot");
        var request = market.Request("request", 5, 30_000) with { DeliverFrom = today, DeliverBy = today.AddDays(2) };
        var deal = Assert.Single((await market.Market.PlaceRequestAsync(request, "request")).Value!.Deals);

        // The deadline may not outlast the delivery day in the market's time: confirming after it promises a delivery in the past.
        var dayAfterDelivery = new DateTimeOffset(deal.DeliverOn.AddDays(1).ToDateTime(TimeOnly.MinValue), MarketTime.VietnamOffset);
        Assert.True(deal.ConfirmBy <= dayAfterDelivery, $"due {deal.DeliverOn}, confirmable until {deal.ConfirmBy}");

        // Past the day the goods were due, however long Market:ConfirmWithin is, and before any timer or reminder ran.
        ClusterFixture.Clock.Advance(dayAfterDelivery - ClusterFixture.Clock.GetUtcNow());
        Assert.True(deal.DeliverOn < ClusterFixture.Clock.Today(), $"due {deal.DeliverOn}, today {ClusterFixture.Clock.Today()}");
        var confirm = await market.Market.TakeDealStepAsync(new DealCommand(deal.Id, DealStep.Confirm, DealSide.Cooperative, null));

        Assert.NotEqual(DealStepOutcome.Done, confirm.Outcome);
        await QuantityAudit.AssertLotsBalancedAsync(Grains, lot.Id);
        await QuantityAudit.AssertRequestsBalancedAsync(Grains, request.Id);
    }

    [Theory]
    [InlineData(-1_000L)]
    [InlineData(3_001L)]
    public async Task The_market_refuses_a_delivery_of_grams_the_deal_never_shipped(long deliveredGrams)
    {
        var market = await MarketAsync($"attack-deliver{deliveredGrams}");
        var lot = market.Lot("lot", 30, 25_000);
        await market.Market.PostLotAsync(lot, "lot");
        var deal = Assert.Single((await market.Market.PlaceRequestAsync(market.Request("request", 3, 30_000), "request")).Value!.Deals);
        await market.Market.TakeDealStepAsync(new DealCommand(deal.Id, DealStep.Confirm, DealSide.Cooperative, null));
        await market.Market.TakeDealStepAsync(new DealCommand(deal.Id, DealStep.Ship, DealSide.Cooperative, null));

        // The market owns the deal's kilograms: it, not only the gateway, must refuse what the deal cannot hold.
        DealStepResult? deliver = null;
        var error = await Record.ExceptionAsync(async () =>
            deliver = await market.Market.TakeDealStepAsync(new DealCommand(deal.Id, DealStep.Deliver, DealSide.Buyer, null, deliveredGrams)));

        Assert.True(error is ArgumentException || deliver is { Outcome: not DealStepOutcome.Done }, $"delivery of {deliveredGrams} g: {deliver?.Outcome}");
        Assert.Equal(Deal.Shipped, (await Grains.GetGrain<IDealGrain>(deal.Id).GetAsync())!.Status);
    }

    [Fact]
    public async Task Delivered_deals_nobody_settles_do_not_stay_in_the_market_for_ever()
    {
        var market = await MarketAsync("attack-unsettled");
        await market.Market.PlaceRequestAsync(market.Request("big", 100, 30_000), "big");
        var deals = new List<Deal>();
        for (var i = 0; i < 100; i++)
        {
            deals.AddRange((await market.Market.PostLotAsync(market.Lot($"lot{i}", 1, 25_000), $"lot{i}")).Value!.Deals);
        }

        foreach (var deal in deals)
        {
            await market.Market.TakeDealStepAsync(new DealCommand(deal.Id, DealStep.Confirm, DealSide.Cooperative, null));
            await market.Market.TakeDealStepAsync(new DealCommand(deal.Id, DealStep.Ship, DealSide.Cooperative, null));
            await market.Market.TakeDealStepAsync(new DealCommand(deal.Id, DealStep.Deliver, DealSide.Buyer, null, deal.QuantityGrams));
        }

        // Entry 400's snapshot: ~99 deals delivered, none of which can move a gram again; buyers often never record payment.
        var snapshot = await StoredSnapshot.ReadAsync(market.Product);
        Assert.Equal(400, snapshot!.ThroughEntry);
        var kept = snapshot.Deals.Count(d => d.Status == Deal.Delivered);
        Assert.True(kept == 0, $"the market's snapshot keeps {kept} delivered deals that no step can take a gram from");
    }

    [Fact]
    public async Task Confirm_cancel_and_expiry_racing_under_lost_journal_replies_keep_every_gram()
    {
        var market = await MarketAsync("attack-race");
        var lot = market.Lot("lot", 30, 25_000, cooperative: "coop-a");
        var spare = market.Lot("spare", 30, 26_000, cooperative: "coop-b");
        await market.Market.PostLotAsync(lot, "lot");
        var requests = new List<RequestTerms>();
        var deals = new List<Deal>();
        for (var i = 0; i < 10; i++)
        {
            var request = market.Request($"request{i}", 3, 30_000, buyer: $"buyer{i}");
            requests.Add(request);
            deals.Add(Assert.Single((await market.Market.PlaceRequestAsync(request, $"request{i}")).Value!.Deals));
        }

        await market.Market.PostLotAsync(spare, "spare");
        await market.Market.WithdrawLotAsync(spare.Id);
        await market.Market.PostLotAsync(spare with { Id = $"{spare.Id}2" }, "spare2");

        // Every deal gets a confirm and a cancel at once; some journal writes land and lose their reply.
        var journal = $"coopmarket-journal/{market.Product}/";
        using (FaultyStorage.Arm(journal, FaultyStorage.Kind.LoseReply, times: 3))
        {
            await Task.WhenAll(deals.SelectMany(d => new[]
            {
                TryAsync(new DealCommand(d.Id, DealStep.Confirm, DealSide.Cooperative, $"c-{d.Id}")),
                TryAsync(new DealCommand(d.Id, DealStep.Cancel, DealSide.Buyer, $"x-{d.Id}")),
            }));
        }

        // Retries with the same keys, then the deadline of whatever is still proposed.
        foreach (var d in deals)
        {
            await TryAsync(new DealCommand(d.Id, DealStep.Confirm, DealSide.Cooperative, $"c-{d.Id}"));
            await TryAsync(new DealCommand(d.Id, DealStep.Cancel, DealSide.Buyer, $"x-{d.Id}"));
        }

        ClusterFixture.Clock.Advance(TimeSpan.FromHours(48));
        await Grains.GetGrain<IMarketGrain>(market.Product).AsReference<IRemindable>().ReceiveReminder("confirm-deadlines", default);
        await fixture.DeactivateAllAsync();

        var summary = await market.Market.GetSummaryAsync();
        var lotIds = new[] { lot.Id, spare.Id, $"{spare.Id}2" };
        await QuantityAudit.AssertLotsBalancedAsync(Grains, lotIds);
        await QuantityAudit.AssertRequestsBalancedAsync(Grains, requests.Select(r => r.Id));
        long open = 0;
        foreach (var id in lotIds)
        {
            open += (await Grains.GetGrain<ISupplyLotGrain>(id).GetAsync())!.RemainingGrams;
        }

        Assert.Equal(open, summary.OpenSupply.Sum(b => b.Grams));
        foreach (var d in deals)
        {
            var status = (await Grains.GetGrain<IDealGrain>(d.Id).GetAsync())!.Status;
            Assert.Contains(status, new[] { Deal.Confirmed, Deal.Cancelled });
        }

        async Task TryAsync(DealCommand command)
        {
            try
            {
                await market.Market.TakeDealStepAsync(command);
            }
            catch (Exception e) when (e is TimeoutException or MarketReloadingException or OrleansMessageRejectionException)
            {
                // A lost reply, or a call that met the market reloading after one: the step may or may not stand, and
                // the retry with its key finds out.
            }
        }
    }

    private Task<MarketScenario> MarketAsync(string name) => MarketScenario.CreateAsync(Grains, name);
}
