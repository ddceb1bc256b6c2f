using CoopMarket.Grains.Market;
using CoopMarket.Grains.Paging;

namespace CoopMarket.Grains.Tests.Market;

/// <summary>Deals from proposal to settlement, as commands of the product's market: every step, every illegal one per
/// side, and the grams a rejected, cancelled or expired deal gives back.</summary>
[Collection(ClusterCollection.Name)]
public sealed class DealLifecycleTests(ClusterFixture fixture)
{
    private static readonly DealStep[] Steps = Enum.GetValues<DealStep>();

    private IGrainFactory Grains => fixture.Grains;

    [Fact]
    public async Task A_deal_walks_from_proposal_to_settlement_and_the_market_then_lets_it_go()
    {
        var (market, lot, request, deal) = await OneDealAsync("walk");

        var confirmed = await market.StepAsync(deal, DealStep.Confirm, DealSide.Cooperative);
        var shipped = await market.StepAsync(deal, DealStep.Ship, DealSide.Cooperative);
        var delivered = await market.StepAsync(deal, DealStep.Deliver, DealSide.Buyer, delivered: 2_500);
        var settled = await market.StepAsync(deal, DealStep.Settle, DealSide.Buyer, reference: "UNC-2026-0042");

        Assert.Equal([Deal.Confirmed, Deal.Shipped, Deal.Delivered, Deal.Settled],
            [confirmed.Change!.Status, shipped.Change!.Status, delivered.Change!.Status, settled.Change!.Status]);
        var code = shipped.Change.TraceCode!;
        Assert.True(TraceCode.IsWellFormed(code), code);
        var record = (await Grains.GetGrain<IDealGrain>(deal.Id).GetAsync())!;
        Assert.Equal((Deal.Settled, code, 2_500L, "UNC-2026-0042"), (record.Status, record.TraceCode, record.DeliveredGrams, record.SettlementReference));
        Assert.NotNull(record.ShippedAt);
        Assert.Equal(DealStepOutcome.NotLive, (await market.StepAsync(deal, DealStep.Cancel, DealSide.Buyer)).Outcome);
        await QuantityAudit.AssertLotsBalancedAsync(Grains, lot.Id);
        await QuantityAudit.AssertRequestsBalancedAsync(Grains, request.Id);
    }

    [Fact]
    public async Task Each_step_belongs_to_its_side_and_to_the_statuses_it_may_leave()
    {
        // Reach every status, then try every step from it: first with the other side, then with its own.
        DealStep[][] paths =
        [
            [], [DealStep.Confirm], [DealStep.Confirm, DealStep.Ship], [DealStep.Confirm, DealStep.Ship, DealStep.Deliver],
            [DealStep.Confirm, DealStep.Ship, DealStep.Deliver, DealStep.Settle], [DealStep.Reject], [DealStep.Cancel],
        ];
        foreach (var path in paths)
        {
            foreach (var step in Steps)
            {
                var (market, lot, request, deal) = await OneDealAsync($"rules-{path.Length}-{path.LastOrDefault()}-{step}");
                foreach (var earlier in path)
                {
                    Assert.Equal(DealStepOutcome.Done, (await market.StepAsync(deal, earlier, SideOf(earlier))).Outcome);
                }

                var status = (await Grains.GetGrain<IDealGrain>(deal.Id).GetAsync())!.Status;
                var wrong = await market.StepAsync(deal, step, SideOf(step) == DealSide.Buyer ? DealSide.Cooperative : DealSide.Buyer);
                var right = await market.StepAsync(deal, step, SideOf(step));

                var expected = DealLifecycle.IsFinal(status) ? DealStepOutcome.NotLive
                    : DealLifecycle.Allows(status, step) ? DealStepOutcome.Done : DealStepOutcome.Illegal;
                if (step == DealStep.Cancel)
                {
                    // Cancel belongs to both sides: the buyer's cancel is taken, and the cooperative's then finds the deal final.
                    Assert.True(expected == wrong.Outcome, $"buyer's cancel from {status}: {wrong.Outcome}, expected {expected}");
                    Assert.Equal(expected == DealStepOutcome.Done ? DealStepOutcome.NotLive : expected, right.Outcome);
                }
                else
                {
                    Assert.True(expected == right.Outcome, $"{step} from {status}: {right.Outcome}, expected {expected}");
                    Assert.Equal(DealLifecycle.IsFinal(status) ? DealStepOutcome.NotLive : DealStepOutcome.WrongSide, wrong.Outcome);
                }

                await QuantityAudit.AssertLotsBalancedAsync(Grains, lot.Id);
                await QuantityAudit.AssertRequestsBalancedAsync(Grains, request.Id);
            }
        }
    }

    [Fact]
    public async Task A_rejected_deal_gives_its_grams_back_and_the_request_is_sourced_again_at_once_elsewhere()
    {
        var market = await MarketAsync("reject");
        var first = market.Lot("first", 30, 25_000, cooperative: "coop-a");
        var second = market.Lot("second", 30, 26_000, cooperative: "coop-b");
        await market.Market.PostLotAsync(first, "first");
        await market.Market.PostLotAsync(second, "second");
        var request = market.Request("request", 20, 30_000);
        var deal = Assert.Single((await market.Market.PlaceRequestAsync(request, "request")).Value!.Deals);
        Assert.Equal(first.Id, deal.LotId);

        var rejected = await market.StepAsync(deal, DealStep.Reject, DealSide.Cooperative);

        Assert.Equal(DealStepOutcome.Done, rejected.Outcome);
        var requestView = (await Grains.GetGrain<IPurchaseRequestGrain>(request.Id).GetAsync())!;
        Assert.Equal((RequestView.Filled, 20_000L, 2L), (requestView.Status, requestView.FilledGrams, requestView.DealCount));
        var lotView = (await Grains.GetGrain<ISupplyLotGrain>(first.Id).GetAsync())!;
        Assert.Equal((LotView.Open, 30_000L), (lotView.Status, lotView.RemainingGrams));
        Assert.Equal(10_000L, (await Grains.GetGrain<ISupplyLotGrain>(second.Id).GetAsync())!.RemainingGrams);

        // The lot kept its place in time: a later lot at the same ask comes after it.
        await market.Market.PostLotAsync(market.Lot("later", 30, 25_000), "later");
        var next = Assert.Single((await market.Market.PlaceRequestAsync(market.Request("next", 5, 30_000, buyer: "other"), "next")).Value!.Deals);
        Assert.Equal(first.Id, next.LotId);
        await QuantityAudit.AssertLotsBalancedAsync(Grains, first.Id, second.Id);
        await QuantityAudit.AssertRequestsBalancedAsync(Grains, request.Id);
    }

    [Fact]
    public async Task Either_side_cancels_before_shipping_and_nobody_after()
    {
        var (market, lot, request, byBuyer) = await OneDealAsync("cancel", kg: 10);
        var byCooperative = Assert.Single((await market.Market.PlaceRequestAsync(market.Request("second", 10, 30_000, buyer: "b2"), "second")).Value!.Deals);
        var shipped = Assert.Single((await market.Market.PlaceRequestAsync(market.Request("third", 10, 30_000, buyer: "b3"), "third")).Value!.Deals);
        await market.StepAsync(byCooperative, DealStep.Confirm, DealSide.Cooperative);
        await market.StepAsync(shipped, DealStep.Confirm, DealSide.Cooperative);
        await market.StepAsync(shipped, DealStep.Ship, DealSide.Cooperative);

        Assert.Equal(DealStepOutcome.Done, (await market.StepAsync(byBuyer, DealStep.Cancel, DealSide.Buyer)).Outcome);
        Assert.Equal(DealStepOutcome.Done, (await market.StepAsync(byCooperative, DealStep.Cancel, DealSide.Cooperative)).Outcome);
        var late = await market.StepAsync(shipped, DealStep.Cancel, DealSide.Buyer);

        Assert.Equal((DealStepOutcome.Illegal, Deal.Shipped), (late.Outcome, late.Status));
        Assert.Equal(Deal.Cancelled, (await Grains.GetGrain<IDealGrain>(byBuyer.Id).GetAsync())!.Status);
        // Both cancelled deals' grams are back on the lot (the requests could only be sourced from it, which is excluded).
        Assert.Equal(20_000L, (await Grains.GetGrain<ISupplyLotGrain>(lot.Id).GetAsync())!.RemainingGrams);
        await QuantityAudit.AssertLotsBalancedAsync(Grains, lot.Id);
        await QuantityAudit.AssertRequestsBalancedAsync(Grains, request.Id, $"{market.Product}-second", $"{market.Product}-third");
    }

    [Fact]
    public async Task A_deal_nobody_confirms_in_time_expires_on_the_market_clock_and_its_grams_go_back()
    {
        // Dates from the shared clock, which other tests move on: with the scenario's fixed dates, a clock already near
        // them would cap the deal's deadline at its last departure instead of 48 hours.
        var today = ClusterFixture.Clock.Today();
        var market = await MarketAsync("expire");
        var lot = market.Lot("lot", 30, 25_000) with { HarvestFrom = today, HarvestTo = today.AddDays(10) };
        await market.Market.PostLotAsync(lot, "lot");
        var request = market.Request("request", 10, 30_000) with { DeliverFrom = today.AddDays(5), DeliverBy = today.AddDays(20) };
        var late = Assert.Single((await market.Market.PlaceRequestAsync(request, "request")).Value!.Deals);
        var prompt = Assert.Single((await market.Market.PlaceRequestAsync(
            market.Request("prompt", 10, 30_000, buyer: "b2") with { DeliverFrom = today.AddDays(5), DeliverBy = today.AddDays(20) }, "prompt")).Value!.Deals);
        await market.StepAsync(prompt, DealStep.Confirm, DealSide.Cooperative);
        Assert.Equal(late.MadeAt + TimeSpan.FromHours(48), late.ConfirmBy);

        ClusterFixture.Clock.Advance(TimeSpan.FromHours(47));
        await FireDeadlineReminderAsync(market);
        Assert.Equal(Deal.Proposed, (await Grains.GetGrain<IDealGrain>(late.Id).GetAsync())!.Status);

        ClusterFixture.Clock.Advance(TimeSpan.FromHours(1));
        await FireDeadlineReminderAsync(market);

        Assert.Equal(Deal.Expired, (await Grains.GetGrain<IDealGrain>(late.Id).GetAsync())!.Status);
        Assert.Equal(Deal.Confirmed, (await Grains.GetGrain<IDealGrain>(prompt.Id).GetAsync())!.Status);
        Assert.Equal((DealStepOutcome.NotLive, (string?)null), Pair(await market.StepAsync(late, DealStep.Confirm, DealSide.Cooperative)));
        Assert.Equal(20_000L, (await Grains.GetGrain<ISupplyLotGrain>(lot.Id).GetAsync())!.RemainingGrams);
        await QuantityAudit.AssertLotsBalancedAsync(Grains, lot.Id);
        await QuantityAudit.AssertRequestsBalancedAsync(Grains, request.Id);
    }

    [Fact]
    public async Task Grams_a_deal_gives_back_after_its_lot_closed_go_to_the_cooperative()
    {
        var (market, lot, request, deal) = await OneDealAsync("withdrawn", kg: 10, lotKg: 30);
        await market.Market.WithdrawLotAsync(lot.Id);

        await market.StepAsync(deal, DealStep.Reject, DealSide.Cooperative);

        var lotView = (await Grains.GetGrain<ISupplyLotGrain>(lot.Id).GetAsync())!;
        Assert.Equal((LotView.Withdrawn, 0L, 30_000L), (lotView.Status, lotView.RemainingGrams, lotView.ReturnedGrams));
        var requestView = (await Grains.GetGrain<IPurchaseRequestGrain>(request.Id).GetAsync())!;
        Assert.Equal((RequestView.Open, 0L, 10_000L), (requestView.Status, requestView.FilledGrams, requestView.RemainingGrams));
        Assert.Empty((await market.Market.GetSummaryAsync()).OpenSupply);
        await QuantityAudit.AssertLotsBalancedAsync(Grains, lot.Id);
        await QuantityAudit.AssertRequestsBalancedAsync(Grains, request.Id);
    }

    [Fact]
    public async Task Grams_a_deal_gives_back_after_its_request_closed_go_back_to_the_lot_only()
    {
        var (market, lot, request, deal) = await OneDealAsync("cancelled", kg: 40, lotKg: 30);
        await market.Market.CancelRequestAsync(request.Id);

        await market.StepAsync(deal, DealStep.Cancel, DealSide.Buyer);

        var requestView = (await Grains.GetGrain<IPurchaseRequestGrain>(request.Id).GetAsync())!;
        Assert.Equal((RequestView.Cancelled, 0L, 0L), (requestView.Status, requestView.FilledGrams, requestView.RemainingGrams));
        var lotView = (await Grains.GetGrain<ISupplyLotGrain>(lot.Id).GetAsync())!;
        Assert.Equal((LotView.Open, 30_000L, 0L), (lotView.Status, lotView.RemainingGrams, lotView.ReturnedGrams));
        Assert.Empty((await market.Market.GetSummaryAsync()).OpenDemand);
        await QuantityAudit.AssertLotsBalancedAsync(Grains, lot.Id);
        await QuantityAudit.AssertRequestsBalancedAsync(Grains, request.Id);
    }

    [Fact]
    public async Task A_sold_out_lot_with_a_deal_in_progress_survives_a_snapshot_and_a_restart_to_take_its_grams_back()
    {
        var (market, lot, request, deal) = await OneDealAsync("restart", kg: 10, lotKg: 10);
        Assert.Empty((await market.Market.GetSummaryAsync()).OpenSupply);
        // Past a snapshot, then a cold start from it.
        for (var i = 0; i < 205; i++)
        {
            await market.Market.PostLotAsync(market.Lot($"dear{i}", 1, 90_000), $"dear{i}");
        }

        await fixture.DeactivateAllAsync();
        var retry = await market.StepAsync(deal, DealStep.Reject, DealSide.Cooperative);

        Assert.Equal(DealStepOutcome.Done, retry.Outcome);
        var lotView = (await Grains.GetGrain<ISupplyLotGrain>(lot.Id).GetAsync())!;
        Assert.Equal((LotView.Open, 10_000L), (lotView.Status, lotView.RemainingGrams));
        Assert.Equal(10_000L + 205_000L, (await market.Market.GetSummaryAsync()).OpenSupply.Sum(b => b.Grams));
        await QuantityAudit.AssertLotsBalancedAsync(Grains, lot.Id);
        await QuantityAudit.AssertRequestsBalancedAsync(Grains, request.Id);
    }

    [Fact]
    public async Task A_step_retried_with_its_key_is_answered_again_and_changes_nothing()
    {
        var (market, _, _, deal) = await OneDealAsync("retry");
        var first = await market.Market.TakeDealStepAsync(new DealCommand(deal.Id, DealStep.Confirm, DealSide.Cooperative, "k1"));
        var again = await market.Market.TakeDealStepAsync(new DealCommand(deal.Id, DealStep.Confirm, DealSide.Cooperative, "k1"));
        var other = await market.Market.TakeDealStepAsync(new DealCommand(deal.Id, DealStep.Confirm, DealSide.Cooperative, "k2"));

        Assert.Equal((DealStepOutcome.Done, DealStepOutcome.Replayed, DealStepOutcome.Illegal), (first.Outcome, again.Outcome, other.Outcome));
        Assert.Equal(first.Change, again.Change);
        Assert.Equal(first.Change, await Grains.GetGrain<IDealGrain>(deal.Id).FindStepAsync(Deal.Confirmed, "k1"));
    }

    private static (DealStepOutcome, string?) Pair(DealStepResult result) => (result.Outcome, result.Status);

    private static DealSide SideOf(DealStep step) => step is DealStep.Deliver or DealStep.Settle ? DealSide.Buyer : DealSide.Cooperative;

    private async Task FireDeadlineReminderAsync(MarketScenario market) =>
        await Grains.GetGrain<IMarketGrain>(market.Product).AsReference<IRemindable>().ReceiveReminder("confirm-deadlines", default);

    private Task<MarketScenario> MarketAsync(string name) => MarketScenario.CreateAsync(Grains, name);

    private async Task<(MarketScenario Market, LotTerms Lot, RequestTerms Request, Deal Deal)> OneDealAsync(string name, long kg = 3, long lotKg = 30)
    {
        var market = await MarketAsync(name);
        var lot = market.Lot("lot", lotKg, 25_000);
        await market.Market.PostLotAsync(lot, "lot");
        var request = market.Request("request", kg, 30_000);
        var deal = Assert.Single((await market.Market.PlaceRequestAsync(request, "request")).Value!.Deals);
        return (market, lot, request, deal);
    }
}
