using System.Collections.Concurrent;
using CoopMarket.Grains.Market;
using CoopMarket.Grains.Notifications;

namespace CoopMarket.Grains.Tests.Market;

/// <summary>The market's write path: memory never runs ahead of the journal, whatever fails between a change of the
/// book and its journal write, and the clock's expiries cost one entry per thousand, however many passed at once.</summary>
[Collection(ClusterCollection.Name)]
public sealed class MarketWritePathTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Grains;

    [Fact]
    public async Task A_command_that_fails_after_changing_the_book_leaves_nothing_the_journal_does_not_hold()
    {
        var market = new MarketScenario(Grains, "fails-midway");
        await market.CreateProductAsync();
        var today = ClusterFixture.Clock.Today();
        var request = market.Request("request", 100, 30_000) with
        {
            DeliverFrom = today.AddDays(2),
            DeliverBy = DateOnly.MaxValue,
            DeliverTo = MarketScenario.DongLai,
        };
        await market.Market.PlaceRequestAsync(request, "request");

        // The gateway refuses such dates, the market does not: a lot harvested on the calendar's last day matches the
        // resting request (the book changes), then its deal's deadline, a day later, cannot be written down.
        var doomsday = market.Lot("doomsday", 40, 25_000) with { HarvestFrom = DateOnly.MaxValue, HarvestTo = DateOnly.MaxValue };
        await Assert.ThrowsAnyAsync<ArgumentOutOfRangeException>(() => market.Market.PostLotAsync(doomsday, "doomsday"));

        // The next command meets the journal's book: the request still lacks all 100 kg, and the failed lot never was.
        var lot = market.Lot("lot", 100, 25_000) with { HarvestFrom = today, HarvestTo = today.AddDays(10) };
        var posted = (await market.Market.PostLotAsync(lot, "lot")).Value!;
        Assert.Equal((100_000L, 0L), (posted.FilledGrams, posted.RemainingGrams));
        Assert.Equal(request.Id, Assert.Single(posted.Deals).RequestId);
        Assert.Null(await Grains.GetGrain<ISupplyLotGrain>(doomsday.Id).GetAsync());
        Assert.Equal(RequestView.Filled, (await Grains.GetGrain<IPurchaseRequestGrain>(request.Id).GetAsync())!.Status);
        await QuantityAudit.AssertLotsBalancedAsync(Grains, lot.Id);
        await QuantityAudit.AssertRequestsBalancedAsync(Grains, request.Id);
    }

    [Fact]
    public async Task Deadlines_that_passed_together_expire_in_one_entry_which_a_restart_replays()
    {
        const int Deals = 60;
        var market = new MarketScenario(Grains, "expire-batch");
        await market.CreateProductAsync();
        var today = ClusterFixture.Clock.Today();
        var first = Fresh(market.Lot("first", 100, 25_000), today);
        var second = Fresh(market.Lot("second", 30, 26_000), today);
        await market.Market.PostLotAsync(first, "first");
        var requests = Enumerable.Range(0, Deals)
            .Select(i => market.Request($"request{i}", 1, 30_000, buyer: $"buyer{i}") with { DeliverFrom = today.AddDays(2), DeliverBy = today.AddDays(20) })
            .ToList();
        foreach (var request in requests)
        {
            Assert.Equal(first.Id, Assert.Single((await market.Market.PlaceRequestAsync(request, request.Id)).Value!.Deals).LotId);
        }

        await market.Market.PostLotAsync(second, "second");
        var expiry = Deals + 3; // the first lot, the requests, the second lot, then the expiries

        ClusterFixture.Clock.Advance(TimeSpan.FromHours(49));
        await market.Market.PostLotAsync(market.Lot("dear", 1, 90_000) with { HarvestFrom = today, HarvestTo = today.AddDays(10) }, "dear");

        // One entry for every expiry, then the lot: and no more.
        var entry = (await JournalEntryAsync(market, expiry))!;
        Assert.Equal(MarketEntryKind.DealExpired, entry.Kind);
        Assert.Equal(Deals, entry.DealChanges!.Count);
        Assert.Equal(MarketEntryKind.LotPosted, (await JournalEntryAsync(market, expiry + 1))!.Kind);
        Assert.Null(await JournalEntryAsync(market, expiry + 2));

        // Each request was sourced again, not from the lot it expired on: the second lot's 30 kg went to the first 30.
        Assert.Equal(30, entry.Deals.Count);
        Assert.All(entry.Deals, d => Assert.Equal(second.Id, d.LotId));
        Assert.Equal([first.Id, second.Id], entry.LotChanges.Select(c => c.LotId));
        Assert.Equal(Deals, entry.RequestChanges.Count);
        var coop = await Grains.GetGrain<IInboxGrain>(IInboxGrain.CooperativeKey(first.CooperativeId)).ReadAfterAsync(0, 500);
        Assert.Equal(Deals, coop.Count(n => n.Notice.Kind == NoticeKind.DealExpired));
        await QuantityAudit.AssertLotsBalancedAsync(Grains, first.Id, second.Id);
        await QuantityAudit.AssertRequestsBalancedAsync(Grains, requests.Select(r => r.Id));

        // A market rebuilt from its journal replays the batch as it was decided: the first lot has its 100 kg again.
        await fixture.DeactivateAllAsync();
        var late = market.Request("late", 100, 30_000, buyer: "late") with { DeliverFrom = today.AddDays(2), DeliverBy = today.AddDays(20) };
        var placed = (await market.Market.PlaceRequestAsync(late, "late")).Value!;
        Assert.Equal((100_000L, first.Id), (placed.FilledGrams, Assert.Single(placed.Deals).LotId));
        await QuantityAudit.AssertLotsBalancedAsync(Grains, first.Id, second.Id);
        await QuantityAudit.AssertRequestsBalancedAsync(Grains, [.. requests.Select(r => r.Id), late.Id]);
    }

    [Fact]
    public async Task More_expiries_than_one_entry_carries_spread_over_several_entries_and_each_happens_once()
    {
        const int Requests = 1_001; // one more than an entry carries
        var market = new MarketScenario(Grains, "expire-bound");
        await market.CreateProductAsync();
        var today = ClusterFixture.Clock.Today();
        var requests = Enumerable.Range(0, Requests)
            .Select(i => market.Request($"request{i}", 1, 30_000) with { DeliverFrom = today.AddDays(2), DeliverBy = today.AddDays(5) })
            .ToList();
        foreach (var request in requests)
        {
            await market.Market.PlaceRequestAsync(request, request.Id);
        }

        var lot = Fresh(market.Lot("lot", Requests, 25_000), today);
        var deals = (await market.Market.PostLotAsync(lot, "lot")).Value!.Deals;
        Assert.Equal(Requests, deals.Count);
        var reminder = market.Market.AsReference<IRemindable>();

        // Every deal passes its deadline at once; nothing else can source the requests again.
        ClusterFixture.Clock.Advance(TimeSpan.FromHours(49));
        await reminder.ReceiveReminder("confirm-deadlines", default);
        var dealExpiries = await EntriesAfterAsync(market, Requests + 1);
        Assert.All(dealExpiries, e => Assert.Equal(MarketEntryKind.DealExpired, e.Kind));
        AssertSpreadOnce(dealExpiries.Select(e => e.DealChanges!.Select(c => c.DealId).ToList()).ToList(), deals.Select(d => d.Id));
        foreach (var deal in deals)
        {
            Assert.Single(await Grains.GetGrain<IDealGrain>(deal.Id).GetStepsAsync(), s => s.Status == Deal.Expired);
        }

        // The requests' window closes: the market's next day takes every one of them off the book.
        ClusterFixture.Clock.Advance(TimeSpan.FromDays(4));
        await reminder.ReceiveReminder("confirm-deadlines", default);
        var staleExpiries = await EntriesAfterAsync(market, Requests + 1 + dealExpiries.Count);
        Assert.All(staleExpiries, e => Assert.Equal(MarketEntryKind.Expired, e.Kind));
        AssertSpreadOnce(staleExpiries.Select(e => e.Expired!.RequestIds).ToList(), requests.Select(r => r.Id));
        Assert.Empty((await market.Market.GetSummaryAsync()).OpenDemand);
        await QuantityAudit.AssertRequestsBalancedAsync(Grains, requests.Select(r => r.Id));
        await QuantityAudit.AssertLotsBalancedAsync(Grains, lot.Id);

        static void AssertSpreadOnce(IReadOnlyList<IReadOnlyList<string>> entries, IEnumerable<string> expected)
        {
            Assert.True(entries.Count > 1, $"{entries.Count} entries");
            Assert.All(entries, ids => Assert.InRange(ids.Count, 1, 1_000));
            Assert.Equal(expected.Order(StringComparer.Ordinal), entries.SelectMany(ids => ids).Order(StringComparer.Ordinal));
        }
    }

    [Theory]
    [InlineData(FaultyStorage.Kind.Fail)]
    [InlineData(FaultyStorage.Kind.LoseReply)]
    public async Task A_journal_fault_amid_a_day_s_many_expiries_racing_commands_expires_each_once_and_loses_nothing(FaultyStorage.Kind fault)
    {
        const int Lots = 1_100, Requests = 1_000; // three entries: 1,000 lots; 100 lots and 900 requests; 100 requests
        var market = new MarketScenario(Grains, $"expire-fault-{fault}");
        await market.CreateProductAsync();
        var today = ClusterFixture.Clock.Today();

        // Lots that can no longer arrive fresh and requests whose window has closed, none matching another, reach a market
        // that has swept today already (its first command did): they wait for its next sweep.
        var lots = Enumerable.Range(0, Lots)
            .Select(i => market.Lot($"stale-lot{i}", 1, 25_000) with { HarvestFrom = today.AddDays(-21), HarvestTo = today.AddDays(-19) })
            .ToList();
        var requests = Enumerable.Range(0, Requests)
            .Select(i => market.Request($"stale-request{i}", 1, 20_000) with { DeliverFrom = today.AddDays(-3), DeliverBy = today.AddDays(-1) })
            .ToList();
        foreach (var chunk in lots.Chunk(100))
        {
            await Task.WhenAll(chunk.Select(lot => market.Market.PostLotAsync(lot, lot.Id)));
        }

        foreach (var chunk in requests.Chunk(100))
        {
            await Task.WhenAll(chunk.Select(request => market.Market.PlaceRequestAsync(request, request.Id)));
        }

        // A new activation sweeps at its first command (without moving the clock that other tests share); its first
        // commands race each other, whichever runs first sweeps, and the second expiry entry's write fails.
        var waiting = await market.Market.GetSummaryAsync();
        Assert.Equal((Lots, Requests), (waiting.OpenSupply.Sum(b => b.Lots), waiting.OpenDemand.Sum(b => b.Requests)));
        await fixture.DeactivateAllAsync();
        var freshLots = Enumerable.Range(0, 10).Select(i => Fresh(market.Lot($"fresh-lot{i}", 1, 25_000), today)).ToList();
        var freshRequests = Enumerable.Range(0, 10)
            .Select(i => market.Request($"fresh-request{i}", 1, 20_000) with { DeliverFrom = today, DeliverBy = today.AddDays(3) })
            .ToList();
        ConcurrentQueue<Exception> errors = [];
        using (FaultyStorage.Arm($"{market.Product}/{Lots + Requests + 2}/entry", fault))
        {
            await Task.WhenAll(
                freshLots.Select(lot => RetriedAsync(() => market.Market.PostLotAsync(lot, lot.Id, retried: true)))
                    .Concat(freshRequests.Select(request => RetriedAsync(() => market.Market.PlaceRequestAsync(request, request.Id, retried: true))))
                    .Select(async command => Assert.Contains((await command).Outcome, (CommandOutcome[])[CommandOutcome.Done, CommandOutcome.Replayed])));
        }

        var entries = await EntriesAfterAsync(market, Lots + Requests);
        var expiries = entries.Where(e => e.Kind == MarketEntryKind.Expired).ToList();
        Assert.All(expiries, e => Assert.InRange(e.Expired!.LotIds.Count + e.Expired.RequestIds.Count, 1, 1_000));
        Assert.Equal(lots.Select(l => l.Id).Order(StringComparer.Ordinal), expiries.SelectMany(e => e.Expired!.LotIds).Order(StringComparer.Ordinal));
        Assert.Equal(requests.Select(r => r.Id).Order(StringComparer.Ordinal), expiries.SelectMany(e => e.Expired!.RequestIds).Order(StringComparer.Ordinal));

        // Each fresh command is journalled once, after every expiry of its day.
        var commands = entries.Where(e => e.Kind != MarketEntryKind.Expired).ToList();
        Assert.Equal(freshLots.Select(l => l.Id).Concat(freshRequests.Select(r => r.Id)).Order(StringComparer.Ordinal),
            commands.Select(e => e.Lot?.Id ?? e.Request!.Id).Order(StringComparer.Ordinal));
        Assert.True(expiries.Max(e => e.Number) < commands.Min(e => e.Number), "a fresh command was journalled amid the day's expiries");

        // The command that woke the sweep never ran: it, and those queued behind it, hear that the market is reloading
        // (a retry is safe), never the storage's own error.
        Assert.NotEmpty(errors);
        Assert.All(errors, e => Assert.True(e is MarketReloadingException or OrleansMessageRejectionException, e.ToString()));

        await fixture.DeactivateAllAsync();
        var summary = await market.Market.GetSummaryAsync();
        Assert.Equal(freshLots.Count, summary.OpenSupply.Sum(b => b.Lots));
        Assert.Equal(freshRequests.Count, summary.OpenDemand.Sum(b => b.Requests));
        foreach (var lot in lots)
        {
            var view = (await Grains.GetGrain<ISupplyLotGrain>(lot.Id).GetAsync())!;
            Assert.Equal((LotView.Expired, 0L, lot.QuantityGrams), (view.Status, view.RemainingGrams, view.ReturnedGrams));
        }

        foreach (var request in requests)
        {
            var view = (await Grains.GetGrain<IPurchaseRequestGrain>(request.Id).GetAsync())!;
            Assert.Equal((RequestView.Expired, 0L, 0L), (view.Status, view.RemainingGrams, view.FilledGrams));
        }

        await QuantityAudit.AssertLotsBalancedAsync(Grains, [.. lots.Take(50).Select(l => l.Id), .. freshLots.Select(l => l.Id)]);
        await QuantityAudit.AssertRequestsBalancedAsync(Grains, [.. requests.Take(50).Select(r => r.Id), .. freshRequests.Select(r => r.Id)]);

        // A client sends a command again with its key while it gets no answer, whatever the failure was.
        async Task<CommandResult<Receipt>> RetriedAsync(Func<Task<CommandResult<Receipt>>> command)
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    return await command();
                }
                catch (Exception e) when (attempt < 20)
                {
                    errors.Enqueue(e);
                    await Task.Delay(50);
                }
            }
        }
    }

    /// <summary>The journal's entries after <paramref name="number"/>, up to its end.</summary>
    // Through the journal's own reader: entries that shared a write have no key of their own.
    private static Task<List<MarketEntry>> EntriesAfterAsync(MarketScenario market, long number) =>
        new MarketJournal(FaultyStorage.Inner!, market.Product).ReadRangeAsync(number + 1, long.MaxValue);

    private static LotTerms Fresh(LotTerms lot, DateOnly today) => lot with { HarvestFrom = today, HarvestTo = today.AddDays(10) };

    private static Task<MarketEntry?> JournalEntryAsync(MarketScenario market, long number) =>
        FaultyStorage.ReadAsync<MarketEntry>("entry", GrainId.Create("coopmarket-journal", $"{market.Product}/{number}"));
}
