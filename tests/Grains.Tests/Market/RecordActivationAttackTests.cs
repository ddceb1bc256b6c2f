using CoopMarket.Grains.Market;
using CoopMarket.Grains.Paging;
using CoopMarket.Grains.Trace;

namespace CoopMarket.Grains.Tests.Market;

/// <summary>Attacks on records that leave memory when only the market's projection has used them: calls that wait
/// behind a write while its activation decides to leave are carried to the next activation, and must all be answered
/// from what storage holds, never refused, whatever else waited with them.</summary>
[Collection(ClusterCollection.Name)]
public sealed class RecordActivationAttackTests(ClusterFixture fixture)
{
    /// <summary>How many drains carry a record's entries again while its first write waits in storage: each waits out
    /// the projection's patience, so a write slow for a few seconds collects several.</summary>
    private const int Carries = 5;

    /// <summary>Records attacked side by side in each test: which of the calls a leaving activation forwards arrives
    /// first at the next is up to the messaging, so one record alone meets the worst order only now and then.</summary>
    private const int Records = 8;

    private IGrainFactory Grains => fixture.Grains;

    [Fact]
    public async Task Reads_and_claims_queued_behind_a_slow_request_write_and_the_drains_that_carried_it_again_are_all_answered()
    {
        var market = new MarketScenario(Grains, "queued-request");
        await Task.WhenAll(Enumerable.Range(0, Records).Select(i => QueuedBehindSlowWriteAsync(market.Request($"request{i}", 100, 30_000))));
    }

    private async Task QueuedBehindSlowWriteAsync(RequestTerms terms)
    {
        var record = Grains.GetGrain<IPurchaseRequestGrain>(terms.Id);
        var receipt = new Receipt(terms.Id, RequestView.Partial, 90_000, 10_000, []);
        var changes = Enumerable.Range(1, Carries + 1).Select(entry => new RequestChange(terms.Id, entry, entry * 10_000L, 100_000 - entry * 10_000L,
            RequestView.Partial, [$"deal-{entry}"], terms, entry == 1 ? receipt : null, entry == 1 ? "placed" : null)).ToList();

        // The placement's write waits in storage past the projection's patience; each drain after it sends the record
        // that entry again with the next ones, and readers and a retried placement's claims queue behind them.
        using var held = FaultyStorage.Hold($"{terms.Id}/request");
        var placed = record.ApplyAsync(changes[..1]);
        await held.Reached;
        var carried = Enumerable.Range(2, Carries).Select(entries => record.ApplyAsync(changes[..entries])).ToList();
        var reads = Enumerable.Range(0, 3).Select(_ => record.GetAsync()).ToList();
        var retried = record.ClaimAsync("placed");
        var reused = record.ClaimAsync("another body");
        var dealIds = record.GetDealIdsAsync(new PageRequest(50, null));
        held.Release();
        await placed;
        await Task.WhenAll(carried);

        Assert.All(await Task.WhenAll(reads), view => Assert.InRange(view!.Version, 1, changes.Count));
        Assert.Equal(new Claim(CommandOutcome.Replayed, receipt), await retried);
        Assert.Equal(CommandOutcome.KeyReused, (await reused).Outcome);
        Assert.Contains("deal-1", (await dealIds).Ids);
        await fixture.DeactivateAsync(record);
        var stored = (await FaultyStorage.ReadAsync<PurchaseRequestState>("request", record.GetGrainId()))!;
        Assert.Equal((changes.Count, changes.Count * 10_000L, changes.Count, "placed"),
            (stored.View!.Version, stored.View.FilledGrams, stored.View.DealCount, stored.BodyHash));
        Assert.Equal(changes.Select(c => c.NewDealIds[0]).Reverse(), (await record.GetDealIdsAsync(new PageRequest(50, null))).Ids);
    }

    [Fact]
    public async Task Reads_queued_behind_a_slow_deal_write_and_the_drains_that_carried_it_again_are_all_answered()
    {
        var market = await MarketScenario.CreateAsync(Grains, "queued-deal");
        await market.PostedLotAsync("lot", 100, 25_000);
        var made = await market.OneDealAsync("request", "buyer");
        await Task.WhenAll(Enumerable.Range(0, Records).Select(i => QueuedBehindSlowWriteAsync(made with { Id = $"{made.Id}-queued{i}" })));
    }

    private async Task QueuedBehindSlowWriteAsync(Deal deal)
    {
        var record = Grains.GetGrain<IDealGrain>(deal.Id);
        var steps = Enumerable.Range(0, Carries).Select(i => Step(100 + i, i == 0 ? Deal.Confirmed : Deal.Shipped, $"step-{i}")).ToList();

        using var held = FaultyStorage.Hold($"{deal.Id}/deal");
        var recorded = record.RecordAsync(deal, []);
        await held.Reached;
        var carried = Enumerable.Range(1, Carries).Select(count => record.RecordAsync(deal, steps[..count])).ToList();
        var reads = Enumerable.Range(0, 3).Select(_ => record.GetAsync()).ToList();
        var histories = Enumerable.Range(0, 3).Select(_ => record.GetStepsAsync()).ToList();
        var found = record.FindStepAsync(Deal.Confirmed, "step-0");
        held.Release();
        await recorded;
        await Task.WhenAll(carried);

        Assert.All(await Task.WhenAll(reads), read => Assert.Equal(deal.Id, read!.Id));
        Assert.All(await Task.WhenAll(histories), history => Assert.Equal(steps.Take(history.Count), history));
        // Sent beside the carried steps, it may come before the first; after their answers, it must find it.
        Assert.Contains(await found, new DealChange?[] { null, steps[0] });
        Assert.Equal(steps[0], await record.FindStepAsync(Deal.Confirmed, "step-0"));
        await fixture.DeactivateAsync(record);
        var stored = (await FaultyStorage.ReadAsync<DealState>("deal", record.GetGrainId()))!;
        Assert.Equal((Deal.Shipped, steps[^1].Version), (stored.Deal!.Status, stored.Version));
        Assert.Equal(steps, stored.Steps);

        DealChange Step(long version, string status, string key) => new(deal.Id, version, status, DateTimeOffset.UnixEpoch,
            deal.LotId, deal.RequestId, deal.CooperativeId, deal.BuyerId, deal.QuantityGrams, DealSide.Cooperative, key);
    }

    [Fact]
    public async Task A_request_whose_write_is_slow_past_the_projections_patience_answers_every_read_queued_behind_the_market_drains()
    {
        var market = await MarketScenario.CreateAsync(Grains, "slow-request");
        await market.PostedLotAsync("lot0", 10, 25_000);
        var terms = market.Request("request", 100, 30_000);
        await market.OneDealAsync(terms);
        var record = Grains.GetGrain<IPurchaseRequestGrain>(terms.Id);
        var lots = new List<string> { $"{market.Product}-lot0" };

        // Each lot the request buys from is an entry for its record; its write waits, each drain gives up on it after the
        // projection's patience and the next sends the record the entries again, queued behind the first.
        using (var held = FaultyStorage.Hold($"{terms.Id}/request"))
        {
            for (var i = 1; i <= 3; i++)
            {
                lots.Add((await market.PostedLotAsync($"lot{i}", 10, 25_000)).Id);
                if (i == 1)
                {
                    await held.Reached;
                }
            }

            var reads = Enumerable.Range(0, 3).Select(_ => market.RequestAsync(terms.Id)).ToList();
            var retried = market.Market.PlaceRequestAsync(terms, terms.Id, retried: true);
            held.Release();
            Assert.All(await Task.WhenAll(reads), read => Assert.InRange(read.FilledGrams, 10_000, 40_000));
            Assert.Equal(CommandOutcome.Replayed, (await retried).Outcome);
        }

        lots.Add((await market.PostedLotAsync("lot4", 10, 25_000)).Id);
        Assert.Equal((RequestView.Partial, 50_000L), await market.RequestAsync(terms.Id));
        await fixture.DeactivateAsync(record);
        await QuantityAudit.AssertRequestsBalancedAsync(Grains, terms.Id);
        await QuantityAudit.AssertLotsBalancedAsync(Grains, lots);
    }

    [Fact]
    public async Task A_deal_whose_record_leaves_between_its_steps_and_loses_a_reply_keeps_each_step_once_and_its_trace_code()
    {
        var market = await MarketScenario.CreateAsync(Grains, "leaving-steps");
        var lot = await market.PostedLotAsync("lot", 100, 25_000);
        var deal = await market.OneDealAsync("request", "buyer", kg: 10);
        var rejected = await market.OneDealAsync("other", "other-buyer", kg: 20);
        var record = Grains.GetGrain<IDealGrain>(deal.Id);
        var rejectedRecord = Grains.GetGrain<IDealGrain>(rejected.Id);
        var shipped = default(DealChange);

        // No reader between the steps: each finds the record gone from memory, and its drain wakes it from storage.
        foreach (var (step, side) in new[] { (DealStep.Confirm, DealSide.Cooperative), (DealStep.Ship, DealSide.Cooperative), (DealStep.Deliver, DealSide.Buyer) })
        {
            Assert.True(await fixture.LeavesMemoryAsync(record), $"the deal's record stayed in memory before {step}");

            // The shipment's record lands and loses its reply: the delivery's drain carries it again, with its code.
            using (step == DealStep.Ship ? FaultyStorage.Arm($"{deal.Id}/deal", FaultyStorage.Kind.LoseReply) : null)
            {
                var taken = await market.StepAsync(deal, step, side, delivered: 8_000);
                Assert.Equal(DealStepOutcome.Done, taken.Outcome);
                shipped ??= step == DealStep.Ship ? taken.Change : null;
            }
        }

        Assert.True(await fixture.LeavesMemoryAsync(rejectedRecord), "the other deal's record stayed in memory");
        Assert.Equal(DealStepOutcome.Done, (await market.StepAsync(rejected, DealStep.Reject, DealSide.Cooperative)).Outcome);
        Assert.Equal(DealStepOutcome.Done, (await market.StepAsync(deal, DealStep.Settle, DealSide.Buyer)).Outcome);

        await fixture.DeactivateAsync(record, rejectedRecord);
        var stored = (await FaultyStorage.ReadAsync<DealState>("deal", record.GetGrainId()))!;
        Assert.Equal([Deal.Confirmed, Deal.Shipped, Deal.Delivered, Deal.Settled], stored.Steps.Select(s => s.Status));
        Assert.Equal((Deal.Settled, 8_000L, shipped!.TraceCode), (stored.Deal!.Status, stored.Deal.DeliveredGrams, stored.Deal.TraceCode));
        var trace = Grains.GetGrain<ITraceGrain>(shipped.TraceCode!);
        Assert.Equal(deal.Id, (await FaultyStorage.ReadAsync<TraceState>("trace", trace.GetGrainId()))?.DealId);
        Assert.Equal(Deal.Rejected, (await FaultyStorage.ReadAsync<DealState>("deal", rejectedRecord.GetGrainId()))!.Deal!.Status);
        await QuantityAudit.AssertLotsBalancedAsync(Grains, lot.Id);
        await QuantityAudit.AssertRequestsBalancedAsync(Grains, deal.RequestId, rejected.RequestId);
    }

    [Fact]
    public async Task A_request_the_projection_keeps_writing_stays_in_memory_until_its_writes_stop_then_leaves()
    {
        var market = new MarketScenario(Grains, "steady-writes");
        var terms = market.Request("request", 100, 30_000);
        var record = Grains.GetGrain<IPurchaseRequestGrain>(terms.Id);
        var storageKey = $"{terms.Id}/request";
        var reads = FaultyStorage.ReadsOf(storageKey);

        // Drains a tenth of a second apart for longer than the quiet moment: leaving between them would cost each a read
        // of the record from storage, and forward what queued behind the write it left after.
        for (var entry = 1; entry <= 25; entry++)
        {
            await record.ApplyAsync([new RequestChange(terms.Id, entry, entry * 1_000L, 100_000 - entry * 1_000L, RequestView.Partial, [$"deal-{entry}"], terms)]);
            await Task.Delay(100);
        }

        Assert.Equal(1, FaultyStorage.ReadsOf(storageKey) - reads);
        Assert.True(await fixture.LeavesMemoryAsync(record), "the request's record stayed in memory once its writes stopped");
        Assert.Equal(25L, (await FaultyStorage.ReadAsync<PurchaseRequestState>("request", record.GetGrainId()))!.View!.Version);
    }
}
