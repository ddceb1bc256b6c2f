using System.Diagnostics;
using CoopMarket.Grains.Market;
using CoopMarket.Grains.Paging;
using CoopMarket.Grains.Participants;

namespace CoopMarket.Grains.Tests.Market;

/// <summary>Storage fails under the market's projections: nothing acknowledged is lost, nothing waits on a record it
/// does not concern, and audits read from storage, past the memory of live activations.</summary>
[Collection(ClusterCollection.Name)]
public sealed class WriteFaultTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Grains;

    [Fact]
    public async Task A_record_that_does_not_answer_holds_the_market_a_few_seconds_not_until_it_answers()
    {
        var market = new MarketScenario(Grains, "silent-record");
        await market.CreateProductAsync();
        var lot = market.Lot("lot", 100, 25_000);
        await market.Market.PostLotAsync(lot, "lot");
        await fixture.DeactivateAllAsync();
        var silence = TimeSpan.FromSeconds(20);

        // The lot's record activates again at the placement's projection and its read answers only after 20 s, as a
        // call whose answer was lost does only at the response timeout.
        var placing = Stopwatch.StartNew();
        using (FaultyStorage.Arm($"{lot.Id}/lot", FaultyStorage.Kind.SlowRead, delay: silence))
        {
            await market.Market.PlaceRequestAsync(market.Request("request", 60, 30_000), "request");
        }

        Assert.InRange(placing.Elapsed, TimeSpan.Zero, silence / 2);
        var deal = await Grains.GetGrain<IDealGrain>($"deal-{market.Product}-2-1").GetAsync();
        Assert.Equal(60_000, deal!.QuantityGrams);
    }

    [Fact]
    public async Task A_record_whose_write_failed_once_is_written_by_the_retry_and_survives_deactivation()
    {
        var market = new MarketScenario(Grains, "lost-write");
        await market.CreateProductAsync();
        var lot = market.Lot("lot", 100, 25_000);
        var request = market.Request("request", 60, 30_000);
        await market.Market.PostLotAsync(lot, "lot");
        var dealId = $"deal-{market.Product}-2-1";

        // Every record the placement touches fails its first write.
        using (FaultyStorage.Arm($"{lot.Id}/lot"))
        using (FaultyStorage.Arm($"{request.Id}/request"))
        using (FaultyStorage.Arm($"{dealId}/deal"))
        using (FaultyStorage.Arm($"{lot.CooperativeId}/cooperative"))
        using (FaultyStorage.Arm($"{request.BuyerId}/buyer"))
        {
            var placed = await market.Market.PlaceRequestAsync(request, "request");
            Assert.Equal(dealId, Assert.Single(placed.Value!.Deals).Id);
        }

        await market.Market.PostLotAsync(market.Lot("next", 1, 90_000, cooperative: "other"), "next"); // drains the retries
        await fixture.DeactivateAllAsync();

        Assert.Equal((40_000L, LotView.Open, 1L), await LotAsync(lot.Id));
        var stored = (await Grains.GetGrain<IPurchaseRequestGrain>(request.Id).GetAsync())!;
        Assert.Equal((60_000L, RequestView.Filled), (stored.FilledGrams, stored.Status));
        Assert.NotNull(await Grains.GetGrain<IDealGrain>(dealId).GetAsync());
        Assert.Equal([dealId], (await Grains.GetGrain<ICooperativeGrain>(lot.CooperativeId).GetDealIdsAsync(PageRequest.First)).Ids);
        Assert.Equal([lot.Id], (await Grains.GetGrain<ICooperativeGrain>(lot.CooperativeId).GetLotIdsAsync(PageRequest.First)).Ids);
        Assert.Equal([dealId], (await Grains.GetGrain<IBuyerGrain>(request.BuyerId).GetDealIdsAsync(PageRequest.First)).Ids);
        Assert.Equal([request.Id], (await Grains.GetGrain<IBuyerGrain>(request.BuyerId).GetRequestIdsAsync(PageRequest.First)).Ids);
    }

    [Fact]
    public async Task A_record_that_keeps_failing_holds_back_only_itself()
    {
        var market = new MarketScenario(Grains, "stuck");
        await market.CreateProductAsync();
        var stuck = market.Lot("stuck", 10, 40_000, cooperative: "unlucky");
        var fine = market.Lot("fine", 100, 25_000);
        using (FaultyStorage.Arm($"{stuck.Id}/lot", times: int.MaxValue))
        {
            await market.Market.PostLotAsync(stuck, "stuck");
            await market.Market.PostLotAsync(fine, "fine");
            var placed = await market.Market.PlaceRequestAsync(market.Request("request", 30, 30_000), "request");

            // Everything after the stuck record's entry is readable at once.
            Assert.Equal((70_000L, LotView.Open, 1L), await LotAsync(fine.Id));
            Assert.NotNull(await Grains.GetGrain<IDealGrain>(Assert.Single(placed.Value!.Deals).Id).GetAsync());
            Assert.Null(await Grains.GetGrain<ISupplyLotGrain>(stuck.Id).GetAsync());
            Assert.Equal([stuck.Id], (await Grains.GetGrain<ICooperativeGrain>(stuck.CooperativeId).GetLotIdsAsync(PageRequest.First)).Ids);
        }

        await market.Market.PostLotAsync(market.Lot("after", 1, 90_000), "after");
        Assert.Equal((10_000L, LotView.Open, 0L), await LotAsync(stuck.Id));
    }

    [Fact]
    public async Task A_market_loading_a_backlog_while_storage_stalls_waits_about_one_stall_not_one_per_entry()
    {
        const int Placements = 25;
        var stall = TimeSpan.FromMilliseconds(250);
        var market = new MarketScenario(Grains, "slow-load");
        await market.CreateProductAsync();
        await market.Market.PostLotAsync(market.Lot("lot", 100, 25_000), "lot");
        var deals = $"deal-{market.Product}-";
        // Every deal record's write fails, so each placement leaves its deal to carry: a backlog the next activation
        // carries again, as a market that deactivated in an outage does when storage comes back.
        using (FaultyStorage.Arm(deals, times: int.MaxValue))
        {
            for (var i = 0; i < Placements; i++)
            {
                await market.Market.PlaceRequestAsync(market.Request($"request{i}", 1, 30_000, buyer: $"buyer{i}"), $"request{i}");
            }
        }

        await fixture.DeactivateAllAsync();
        var loading = Stopwatch.StartNew();
        // Storage answers each journal read after a stall, and fails each deal write after one, as Redis does while
        // it reconnects: entry by entry, loading takes 26 stalled reads and 25 stalled writes, about 13 s.
        using (FaultyStorage.Arm($"coopmarket-journal/{market.Product}/", FaultyStorage.Kind.SlowRead, int.MaxValue, stall))
        using (FaultyStorage.Arm(deals, times: int.MaxValue, delay: stall))
        {
            await market.Market.GetSummaryAsync();
        }

        Assert.InRange(loading.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(4));
        await market.Market.PostLotAsync(market.Lot("after", 1, 90_000), "after"); // its drain carries the deals
        for (var entry = 2; entry <= Placements + 1; entry++)
        {
            Assert.NotNull(await Grains.GetGrain<IDealGrain>($"deal-{market.Product}-{entry}-1").GetAsync());
        }
    }

    [Fact]
    public async Task A_snapshot_written_with_its_reply_lost_does_not_stop_the_next_snapshot()
    {
        var market = new MarketScenario(Grains, "snapshot-reply");
        await market.CreateProductAsync();
        var snapshotKey = $"coopmarket-snapshot/{market.Product}/";
        using (FaultyStorage.Arm(snapshotKey, FaultyStorage.Kind.LoseReply))
        {
            for (var i = 0; i < 420; i++)
            {
                await market.Market.PostLotAsync(market.Lot($"lot{i}", 1, 25_000 + i), $"lot{i}");
            }
        }

        // Entry 200's snapshot landed unheard; the market tried again at 201, and was due again at 401.
        var snapshot = await FaultyStorage.ReadAsync<MarketSnapshot>("snapshot", GrainId.Create("coopmarket-snapshot", market.Product));
        Assert.Equal(401, snapshot!.ThroughEntry);
        Assert.Equal(3, FaultyStorage.LandedWrites(snapshotKey));
    }

    [Fact]
    public async Task An_audit_after_faults_reads_every_record_back_from_storage_and_finds_the_quantities_whole()
    {
        var market = new MarketScenario(Grains, "audit");
        await market.CreateProductAsync();
        var lots = Enumerable.Range(0, 6).Select(i => market.Lot($"lot{i}", 50, 25_000 + i * 100, cooperative: $"coop{i % 3}")).ToList();
        var requests = Enumerable.Range(0, 8).Select(i => market.Request($"request{i}", 35, 30_000, buyer: $"buyer{i % 4}")).ToList();
        var receipts = new List<Receipt>();
        for (var i = 0; i < 8; i++)
        {
            // Faults on every other command's records, some failing twice.
            using var lotFault = FaultyStorage.Arm($"{lots[i % 6].Id}/lot", times: 1 + i % 2);
            using var buyerFault = FaultyStorage.Arm($"{requests[i].BuyerId}/buyer", times: 1 + i % 2);
            if (i < 6)
            {
                receipts.Add((await market.Market.PostLotAsync(lots[i], $"lot{i}")).Value!);
            }

            receipts.Add((await market.Market.PlaceRequestAsync(requests[i], $"request{i}")).Value!);
        }

        await market.Market.PostLotAsync(market.Lot("drain", 1, 90_000), "drain"); // drains what the faults held back
        await fixture.DeactivateAllAsync();

        var deals = receipts.SelectMany(r => r.Deals).ToList();
        foreach (var lot in lots)
        {
            var sold = deals.Where(d => d.LotId == lot.Id).Sum(d => d.QuantityGrams);
            var view = (await Grains.GetGrain<ISupplyLotGrain>(lot.Id).GetAsync())!;
            Assert.Equal(lot.QuantityGrams, view.RemainingGrams + sold);
            Assert.Equal(deals.Count(d => d.LotId == lot.Id), view.DealCount);
        }

        foreach (var request in requests)
        {
            var bought = deals.Where(d => d.RequestId == request.Id).Sum(d => d.QuantityGrams);
            var view = (await Grains.GetGrain<IPurchaseRequestGrain>(request.Id).GetAsync())!;
            Assert.Equal((request.QuantityGrams, bought), (view.FilledGrams + view.RemainingGrams, view.FilledGrams));
        }

        foreach (var deal in deals)
        {
            Assert.Equal(deal, await Grains.GetGrain<IDealGrain>(deal.Id).GetAsync());
        }

        foreach (var buyer in requests.Select(r => r.BuyerId).Distinct())
        {
            var listed = (await Grains.GetGrain<IBuyerGrain>(buyer).GetDealIdsAsync(new PageRequest(500, null))).Ids;
            Assert.Equal(deals.Where(d => d.BuyerId == buyer).Select(d => d.Id).Order(), listed.Order());
        }
    }

    [Fact]
    public async Task A_placement_retried_while_its_record_lags_gives_back_what_the_retry_reserved_again()
    {
        var market = new MarketScenario(Grains, "allowance-retry");
        await market.CreateProductAsync();
        var scope = $"{market.Product}-address";
        var allowance = Grains.GetGrain<IBuyerAllowanceGrain>(scope);
        var request = market.Request("request", 60, 30_000) with { AllowanceScope = scope };
        var record = Grains.GetGrain<IPurchaseRequestGrain>(request.Id);
        await market.Market.PostLotAsync(market.Lot("lot", 100, 25_000), "lot");

        // The gateway's steps for a placement: claim the id, reserve the kilograms, place. The request fills at once,
        // its deal is delivered and the allowance given back, but the request's record does not hear of it yet.
        Assert.Equal(CommandOutcome.Done, (await record.ClaimAsync("request")).Outcome);
        using (FaultyStorage.Arm($"{request.Id}/request", times: int.MaxValue))
        {
            Assert.True(await allowance.ReserveAsync(request.Id, market.Product, request.QuantityGrams, 1_000_000));
            var placed = await market.Market.PlaceRequestAsync(request, "request");
            Assert.Equal(RequestView.Filled, placed.Value!.Status);
            var deal = Assert.Single(placed.Value.Deals);
            foreach (var (step, side) in new[] { (DealStep.Confirm, DealSide.Cooperative), (DealStep.Ship, DealSide.Cooperative), (DealStep.Deliver, DealSide.Buyer) })
            {
                var command = new DealCommand(deal.Id, step, side, null, step == DealStep.Deliver ? deal.QuantityGrams : null);
                Assert.Equal(DealStepOutcome.Done, (await market.Market.TakeDealStepAsync(command)).Outcome);
            }

            Assert.Equal(0L, await allowance.GetOpenGramsAsync());

            // The client did not hear the answer and sends the same placement again, through the same steps.
            Assert.Equal(CommandOutcome.Done, (await record.ClaimAsync("request")).Outcome);
            Assert.True(await allowance.ReserveAsync(request.Id, market.Product, request.QuantityGrams, 1_000_000));
            Assert.Equal(CommandOutcome.Replayed, (await market.Market.PlaceRequestAsync(request, "request")).Outcome);
        }

        await market.Market.PostLotAsync(market.Lot("drain", 1, 90_000), "drain"); // the record catches up
        await fixture.DeactivateAllAsync();

        Assert.Equal(RequestView.Filled, (await record.GetAsync())!.Status);
        Assert.Equal(0L, await allowance.GetOpenGramsAsync());
    }

    [Fact]
    public async Task A_reservation_for_a_placement_the_market_never_journalled_does_not_hold_the_allowance_for_ever()
    {
        var market = new MarketScenario(Grains, "allowance-leak");
        await market.CreateProductAsync();
        var scope = $"{market.Product}-address";
        var allowance = Grains.GetGrain<IBuyerAllowanceGrain>(scope);
        var lost = market.Request("lost", 1_000, 30_000) with { AllowanceScope = scope };
        await market.Market.PostLotAsync(market.Lot("lot", 1, 90_000), "lot");

        // The gateway's steps: the whole allowance is reserved, then the market's journal write fails before it
        // lands. The buyer sent no idempotency key, so nothing will ever retry this placement.
        Assert.True(await allowance.ReserveAsync(lost.Id, market.Product, lost.QuantityGrams, 1_000_000));
        using (FaultyStorage.Arm($"coopmarket-journal/{market.Product}/2/entry"))
        {
            await Assert.ThrowsAnyAsync<Exception>(() => market.Market.PlaceRequestAsync(lost, "lost"));
        }

        ClusterFixture.Clock.Advance(TimeSpan.FromMinutes(11));
        await market.Market.PostLotAsync(market.Lot("later", 1, 90_000), "later");
        await fixture.DeactivateAllAsync();

        // The market holds no such request, yet the address's buyers may never place another kilogram.
        Assert.Null(await Grains.GetGrain<IPurchaseRequestGrain>(lost.Id).GetAsync());
        Assert.True(await allowance.ReserveAsync($"{market.Product}-next", market.Product, 1_000, 1_000_000));
    }

    private async Task<(long Remaining, string Status, long Deals)> LotAsync(string id) =>
        await Grains.GetGrain<ISupplyLotGrain>(id).GetAsync() is { } view ? (view.RemainingGrams, view.Status, view.DealCount) : default;
}
