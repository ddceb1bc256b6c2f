using System.Diagnostics;
using CoopMarket.Grains.Market;

namespace CoopMarket.Grains.Tests.Market;

/// <summary>Group commit under held, failed and lost writes: what a caller hears always matches what the journal holds,
/// and nothing stalls.</summary>
[Collection(ClusterCollection.Name)]
public sealed class GroupCommitAttackTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Grains;

    [Fact]
    public async Task A_retry_of_a_placement_whose_write_landed_is_not_answered_before_the_records_have_it()
    {
        var market = await MarketScenario.CreateAsync(Grains, "gc-retry-carry");
        await market.PostedLotAsync("lot", 10, 25_000);
        var request = market.Request("request", 2, 30_000);
        var record = Grains.GetGrain<IPurchaseRequestGrain>(request.Id);
        Task<CommandResult<Receipt>> placing, retried;
        using (var held = FaultyStorage.Hold($"{request.Id}/request"))
        {
            // The journal write has landed; the projection is writing the request's record.
            placing = market.Market.PlaceRequestAsync(request, request.Id);
            await held.Reached;
            retried = market.Market.PlaceRequestAsync(request, request.Id);
            await Task.Delay(100);
            Assert.DoesNotContain(new[] { placing, retried }, c => c.IsCompleted);
            held.Release();
        }

        Assert.Equal((CommandOutcome.Done, CommandOutcome.Replayed), ((await placing).Outcome, (await retried).Outcome));
        Assert.Equal(RequestView.Filled, (await record.GetAsync())!.Status);
    }

    [Fact]
    public async Task Settling_a_delivered_deal_is_not_refused_for_records_of_placements_that_land_while_it_waits()
    {
        var market = await MarketScenario.CreateAsync(Grains, "gc-settle");
        await market.PostedLotAsync("lot", 100, 25_000);
        var deal = await market.ShippedDealAsync("bought", "buyer", 10);
        Assert.Equal(DealStepOutcome.Done, (await market.StepAsync(deal, DealStep.Deliver, DealSide.Buyer)).Outcome);

        // A placement whose request record cannot be updated twice: it stays in the projection's backlog.
        var lagging = market.Request("p1", 1, 30_000, buyer: "b1");
        using (FaultyStorage.Arm($"{lagging.Id}/request", times: 2))
        {
            await market.Market.PlaceRequestAsync(lagging, lagging.Id);
            await market.Market.PlaceRequestAsync(market.Request("p2", 1, 30_000, buyer: "b2"), "p2");
        }

        // The next try of that record is slow; meanwhile a placement decided before the settlement lands.
        using var slowRecord = FaultyStorage.Hold($"{lagging.Id}/request");
        var landing = market.Request("p3", 1, 30_000, buyer: "b3");
        Task<CommandResult<Receipt>> placed;
        Task<DealStepResult> settled;
        using (var heldJournal = FaultyStorage.Hold($"coopmarket-journal/{market.Product}/"))
        {
            placed = market.Market.PlaceRequestAsync(landing, landing.Id);
            await heldJournal.Reached;
            settled = market.StepAsync(deal, DealStep.Settle, DealSide.Buyer);
            await slowRecord.Reached;
            heldJournal.Release();
            // The placement's write lands and joins the projection's backlog while the settlement's drain is still on.
            await WaitUntilAsync(() => Task.FromResult(FaultyStorage.LandedWrites($"coopmarket-journal/{market.Product}/8/") == 1));
            await Task.Delay(100);
        }

        slowRecord.Release();
        // The settlement depends on the records of the deal's own steps, all landed before it came: a placement that
        // landed meanwhile is no reason to refuse it.
        Assert.Equal(DealStepOutcome.Done, (await settled).Outcome);
        Assert.Equal(CommandOutcome.Done, (await placed).Outcome);
        Assert.Equal(Deal.Settled, (await Grains.GetGrain<IDealGrain>(deal.Id).GetAsync())!.Status);
    }

    [Fact]
    public async Task A_hundred_commands_of_every_kind_queued_behind_a_held_write_all_complete_within_seconds()
    {
        var market = await MarketScenario.CreateAsync(Grains, "gc-hundred");
        var lot = await market.PostedLotAsync("lot", 1_000, 25_000);
        var withdrawn = await market.PostedLotAsync("withdrawn", 5, 40_000);
        var cancelled = market.Request("cancelled", 5, 10_000, buyer: "cheap");
        await market.Market.PlaceRequestAsync(cancelled, cancelled.Id);

        var calls = new List<Task>();
        using (var held = FaultyStorage.Hold($"coopmarket-journal/{market.Product}/"))
        {
            var first = market.Request("first", 1, 30_000, buyer: "b-first");
            calls.Add(market.Market.PlaceRequestAsync(first, first.Id));
            await held.Reached;
            for (var i = 0; i < 100; i++)
            {
                calls.Add((i % 10) switch
                {
                    3 => (Task)market.Market.GetSummaryAsync(),
                    5 when i == 5 => market.Market.WithdrawLotAsync(withdrawn.Id),
                    5 when i == 15 => market.Market.CancelRequestAsync(cancelled.Id),
                    7 => market.Market.PostLotAsync(market.Lot($"more{i}", 1, 45_000, cooperative: $"c{i}"), $"more{i}"),
                    _ => market.Market.PlaceRequestAsync(market.Request($"r{i}", 1, 30_000, buyer: $"b{i}"), $"r{i}"),
                });
            }

            await Task.Delay(200);
            Assert.DoesNotContain(calls, c => c.IsCompleted);
        }

        var clock = Stopwatch.StartNew();
        await Task.WhenAll(calls).WaitAsync(TimeSpan.FromSeconds(8));
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(8));
        var placements = 1 + Enumerable.Range(0, 100).Count(i => i % 10 is not (3 or 7) && i is not (5 or 15));
        Assert.Equal(1_000_000 - placements * 1_000L, (await Grains.GetGrain<ISupplyLotGrain>(lot.Id).GetAsync())!.RemainingGrams);
        Assert.Equal(LotView.Withdrawn, (await Grains.GetGrain<ISupplyLotGrain>(withdrawn.Id).GetAsync())!.Status);
        Assert.Equal(RequestView.Cancelled, (await market.RequestAsync(cancelled.Id)).Status);
    }

    [Fact]
    public async Task A_shared_write_of_mixed_commands_that_fails_leaves_only_what_callers_were_told_and_balanced_records()
    {
        var market = await MarketScenario.CreateAsync(Grains, "gc-mixed-fail");
        var lot = await market.PostedLotAsync("lot", 100, 25_000);
        var withdrawn = await market.PostedLotAsync("withdrawn", 5, 40_000, cooperative: "other");
        var cancelled = market.Request("cancelled", 5, 10_000, buyer: "cheap");
        await market.Market.PlaceRequestAsync(cancelled, cancelled.Id);
        var journal = $"coopmarket-journal/{market.Product}/";
        // Entries 1 to 3 are above, 4 is held; the next write, from entry 5, fails.
        using var failing = FaultyStorage.Arm($"{journal}5/");

        List<RequestTerms> placedRequests = [.. Enumerable.Range(0, 8).Select(i => market.Request($"r{i}", 2, 30_000, buyer: $"b{i}"))];
        List<LotTerms> postedLots = [.. Enumerable.Range(0, 3).Select(i => market.Lot($"l{i}", 2, 45_000, cooperative: $"c{i}"))];
        Task<CommandResult<Receipt>> first;
        var placing = new List<Task<CommandResult<Receipt>>>();
        var posting = new List<Task<CommandResult<Receipt>>>();
        Task<LotView?> withdrawing;
        Task<RequestView?> cancelling;
        using (var held = FaultyStorage.Hold(journal))
        {
            var request = market.Request("first", 2, 30_000, buyer: "b-first");
            first = market.Market.PlaceRequestAsync(request, request.Id);
            await held.Reached;
            posting.AddRange(postedLots.Select(l => market.Market.PostLotAsync(l, l.Id)));
            placing.AddRange(placedRequests.Take(4).Select(r => market.Market.PlaceRequestAsync(r, r.Id)));
            await WaitUntilAsync(async () => (await Task.WhenAll(placedRequests.Take(4).Select(r => market.Market.KnowsRequestAsync(r.Id)))).All(k => k));
            // A withdrawal keeps the turn until its own entry lands: it shares the next write with those before it, and
            // those after it wait for that write.
            withdrawing = market.Market.WithdrawLotAsync(withdrawn.Id);
            cancelling = market.Market.CancelRequestAsync(cancelled.Id);
            placing.AddRange(placedRequests.Skip(4).Select(r => market.Market.PlaceRequestAsync(r, r.Id)));
            await Task.Delay(100);
        }

        Assert.Equal(CommandOutcome.Done, (await first).Outcome);
        var told = new Dictionary<string, bool>();
        foreach (var (id, call) in placedRequests.Select(r => r.Id).Zip(placing).Concat(postedLots.Select(l => l.Id).Zip(posting)))
        {
            told[id] = await Succeeded(call);
        }

        told[withdrawn.Id] = await Succeeded(withdrawing);
        told[cancelled.Id] = await Succeeded(cancelling);
        // The write that failed held the placements, posts and withdrawal decided before it: none of them was told Done.
        Assert.All(placedRequests.Take(4).Select(r => r.Id).Concat(postedLots.Select(l => l.Id)).Append(withdrawn.Id),
            id => Assert.False(told[id], $"{id} was told Done though its write failed"));

        await market.DeactivateAsync();
        var stored = await new MarketJournal(FaultyStorage.Inner!, market.Product).ReadFromAsync(1);
        var storedIds = stored.SelectMany(e => new[] { e.Lot?.Id, e.Request?.Id, e.TargetId }).OfType<string>().ToHashSet();
        foreach (var (id, done) in told)
        {
            Assert.True(!done || storedIds.Contains(id), $"{id} was told Done and is not in the journal");
        }

        // The market as reloaded agrees with the journal, and with every record.
        var summary = await MarketScenario.RetryWhileReloadingAsync(() => market.Market.GetSummaryAsync());
        Assert.Equal(100_000 - 2_000, (await Grains.GetGrain<ISupplyLotGrain>(lot.Id).GetAsync())!.RemainingGrams);
        Assert.Equal(100_000 - 2_000 + 5_000, summary.OpenSupply.Sum(b => b.Grams));
        Assert.Equal(LotView.Open, (await Grains.GetGrain<ISupplyLotGrain>(withdrawn.Id).GetAsync())!.Status);
        await QuantityAudit.AssertLotsBalancedAsync(Grains, lot.Id, withdrawn.Id);
        await QuantityAudit.AssertRequestsBalancedAsync(Grains, [cancelled.Id, market.Request("first", 2, 30_000).Id]);
    }

    [Fact]
    public async Task Snapshots_are_written_under_continuous_load_end_where_a_record_ends_and_a_reload_reads_from_one()
    {
        var market = await MarketScenario.CreateAsync(Grains, "gc-snapload");
        await market.PostedLotAsync("lot", 10_000, 25_000);
        const int Count = 520;
        // Every write takes a while and every command arrives at once, so while each write lands the next commands have
        // decided already: something is always on its way until the last write.
        using var slow = FaultyStorage.Arm($"coopmarket-journal/{market.Product}/", FaultyStorage.Kind.SlowWrite, times: 1_000,
            delay: TimeSpan.FromMilliseconds(30));
        var placing = Enumerable.Range(0, Count).Select(i => market.Request($"r{i}", 1, 30_000, buyer: $"b{i % 32}"))
            .Select(r => market.Market.PlaceRequestAsync(r, r.Id)).ToList();
        await WaitUntilAsync(() => Task.FromResult(placing.Count(p => p.IsCompleted) >= 300));
        // A snapshot was due at entry 200: it was written then, not once the load stopped.
        Assert.InRange((await StoredSnapshot.ReadAsync(market.Product))?.ThroughEntry ?? 0, 200, 450);
        Assert.All(await Task.WhenAll(placing), p => Assert.Equal(CommandOutcome.Done, p.Outcome));
        var last = 1 + Count;
        var snapshot = (await StoredSnapshot.ReadAsync(market.Product))!;
        // The second one was due at entry 400, and was not starved either.
        Assert.InRange(snapshot.ThroughEntry, 400, last);
        // It ends where a record ends: the next entry, if any, is the first of its record.
        if (snapshot.ThroughEntry < last)
        {
            Assert.NotNull(await FaultyStorage.ReadAsync<MarketEntry>("entry",
                GrainId.Create("coopmarket-journal", $"{market.Product}/{snapshot.ThroughEntry + 1}")));
        }

        slow.Dispose();
        await market.DeactivateAsync();
        var reads = FaultyStorage.ReadsOf($"coopmarket-journal/{market.Product}/");
        var summary = await market.Market.GetSummaryAsync();
        Assert.Equal(10_000_000 - Count * 1_000L, summary.OpenSupply.Sum(b => b.Grams));
        // Loaded from the snapshot: it reads the records after it (and looks back at most a record for projections).
        Assert.InRange(FaultyStorage.ReadsOf($"coopmarket-journal/{market.Product}/") - reads, 1, last - snapshot.ThroughEntry + MarketGrain.MaxEntriesPerWrite + 1);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(FaultyStorage.Kind.Fail)]
    [InlineData(FaultyStorage.Kind.LoseReply)]
    public async Task Retries_racing_their_own_entries_on_their_way_are_decided_once_whatever_the_write_does(FaultyStorage.Kind? fault)
    {
        var market = await MarketScenario.CreateAsync(Grains, $"gc-race-{fault}");
        var lot = await market.PostedLotAsync("lot", 100, 25_000);
        var journal = $"coopmarket-journal/{market.Product}/";
        var request = market.Request("raced", 5, 30_000, buyer: "b-raced");
        var posted = market.Lot("posted", 3, 45_000, cooperative: "c-posted");
        Task<CommandResult<Receipt>> placing, retried, reused, posting;
        Task<CommandResult<Receipt>>? postRetried = null, postReused = null;
        using (var second = FaultyStorage.Hold($"{journal}3/"))
        {
            using (var first = FaultyStorage.Hold($"{journal}2/"))
            {
                placing = market.Market.PlaceRequestAsync(request, request.Id);
                await first.Reached;
                retried = market.Market.PlaceRequestAsync(request, request.Id, retried: true);
                reused = market.Market.PlaceRequestAsync(request with { QuantityGrams = 6_000 }, "other body", retried: true);
                posting = market.Market.PostLotAsync(posted, posted.Id);
                await Task.Delay(100);
                Assert.DoesNotContain(new[] { placing, retried, reused, posting }, c => c.IsCompleted);
                using var armed = fault is { } kind ? FaultyStorage.Arm($"{journal}2/", kind) : null;
                first.Release();
                await Task.WhenAny(placing, Task.Delay(TimeSpan.FromSeconds(10)));
            }

            if (fault is null)
            {
                // The post decided once the first write landed, and its own write is held: its retries race it.
                await WaitUntilAsync(() => Task.FromResult(second.Reached.IsCompleted));
                postRetried = market.Market.PostLotAsync(posted, posted.Id, retried: true);
                postReused = market.Market.PostLotAsync(posted with { QuantityGrams = 4_000 }, "other body", retried: true);
                await Task.Delay(100);
                Assert.False(posting.IsCompleted || postRetried.IsCompleted || postReused.IsCompleted, "a post was answered before its write landed");
            }
        }

        if (fault is null)
        {
            var first = await placing;
            Assert.Equal((CommandOutcome.Replayed, first.Value!.Deals[0].Id), ((await retried).Outcome, (await retried).Value!.Deals[0].Id));
            Assert.Equal(CommandOutcome.KeyReused, (await reused).Outcome);
            Assert.Equal(CommandOutcome.Done, (await posting).Outcome);
            Assert.Equal(CommandOutcome.Replayed, (await postRetried!).Outcome);
            Assert.Equal(CommandOutcome.KeyReused, (await postReused!).Outcome);
        }
        else
        {
            // Nobody hears Done of what the journal may not hold; every retry waited for the write and heard it fail.
            foreach (var call in new[] { placing, retried, reused, posting })
            {
                await Assert.ThrowsAnyAsync<Exception>(() => call);
            }

            await market.DeactivateAsync();
            var again = await MarketScenario.RetryWhileReloadingAsync(() => market.Market.PlaceRequestAsync(request, request.Id, retried: true));
            Assert.Equal(fault == FaultyStorage.Kind.LoseReply ? CommandOutcome.Replayed : CommandOutcome.Done, again.Outcome);
            Assert.Equal(CommandOutcome.KeyReused,
                (await market.Market.PlaceRequestAsync(request with { QuantityGrams = 6_000 }, "other body", retried: true)).Outcome);
        }

        await market.DeactivateAsync();
        var stored = await new MarketJournal(FaultyStorage.Inner!, market.Product).ReadFromAsync(1);
        Assert.Single(stored, e => e.Request?.Id == request.Id);
        Assert.Equal(95_000, (await Grains.GetGrain<ISupplyLotGrain>(lot.Id).GetAsync())!.RemainingGrams);
        Assert.Equal(95_000 + (fault is null ? 3_000 : 0), (await market.Market.GetSummaryAsync()).OpenSupply.Sum(b => b.Grams));
        await QuantityAudit.AssertLotsBalancedAsync(Grains, lot.Id);
        await QuantityAudit.AssertRequestsBalancedAsync(Grains, request.Id);
    }

    private static async Task<bool> Succeeded<T>(Task<T> call)
    {
        try
        {
            var answer = await call;
            return answer is not CommandResult<Receipt> { Outcome: not CommandOutcome.Done } && answer is not null;
        }
        catch (Exception)
        {
            return false;
        }
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        for (var until = DateTime.UtcNow.AddSeconds(20); !await condition(); await Task.Delay(10))
        {
            Assert.True(DateTime.UtcNow < until, "the condition was not met in time");
        }
    }
}
