using CoopMarket.Grains.Market;
using Orleans.Storage;

namespace CoopMarket.Grains.Tests.Market;

/// <summary>Commands that reach a market while its journal write is on its way share the next write: fewer writes than
/// entries, and the write is still the commit point for every command in it.</summary>
[Collection(ClusterCollection.Name)]
public sealed class GroupCommitTests(ClusterFixture fixture)
{
    private const int Waiting = 6;
    private IGrainFactory Grains => fixture.Grains;

    [Fact]
    public async Task Placements_that_wait_for_a_write_share_the_next_one_and_each_is_answered_as_if_alone()
    {
        var market = new MarketScenario(Grains, "shared-write");
        await market.CreateProductAsync();
        var lot = await market.PostedLotAsync("lot", 100, 25_000);
        var (first, rest) = await QueueBehindHeldWriteAsync(market, fault: null);

        var placed = await Task.WhenAll([first, .. rest]);

        Assert.All(placed, p => Assert.Equal((CommandOutcome.Done, 5_000L, 0L), (p.Outcome, p.Value!.FilledGrams, p.Value.RemainingGrams)));
        Assert.Equal(Waiting + 1, placed.SelectMany(p => p.Value!.Deals).Select(d => d.Id).Distinct().Count());
        // The lot's entry, the held placement's, then one write for all those that waited.
        Assert.Equal(3, FaultyStorage.LandedWrites(JournalKey(market)));
        var shared = await StoredRecordAsync(market, 3);
        Assert.Equal(Waiting - 1, shared!.Following!.Count);
        Assert.Null(await StoredRecordAsync(market, 4));
        Assert.Equal(100_000 - (Waiting + 1) * 5_000, (await Grains.GetGrain<ISupplyLotGrain>(lot.Id).GetAsync())!.RemainingGrams);

        // Loaded again, the market walks the shared record and goes on after its last entry.
        await market.DeactivateAsync();
        var after = await market.Market.PlaceRequestAsync(market.Request("after", 5, 30_000, buyer: "late"), "after");
        Assert.Equal($"deal-{market.Product}-{Waiting + 3}-1", Assert.Single(after.Value!.Deals).Id);
        Assert.Equal(100_000 - (Waiting + 2) * 5_000, (await market.Market.GetSummaryAsync()).OpenSupply.Sum(b => b.Grams));
    }

    [Fact]
    public async Task A_shared_write_that_fails_fails_every_command_in_it_and_their_retries_then_count_once()
    {
        var market = new MarketScenario(Grains, "shared-fail");
        await market.CreateProductAsync();
        var lot = await market.PostedLotAsync("lot", 100, 25_000);
        var (first, rest) = await QueueBehindHeldWriteAsync(market, FaultyStorage.Kind.Fail);

        Assert.Equal(CommandOutcome.Done, (await first).Outcome);
        foreach (var failed in rest)
        {
            await Assert.ThrowsAnyAsync<Exception>(() => failed);
        }

        // The next activation loads from the journal, which holds none of them.
        await market.DeactivateAsync();
        Assert.Null(await StoredRecordAsync(market, 3));
        Assert.Equal(95_000, (await market.Market.GetSummaryAsync()).OpenSupply.Sum(b => b.Grams));
        for (var i = 1; i <= Waiting; i++)
        {
            Assert.False(await market.Market.KnowsRequestAsync(RequestId(market, i)));
        }

        for (var i = 1; i <= Waiting; i++)
        {
            var request = WaitingRequest(market, i);
            var retried = await MarketScenario.RetryWhileReloadingAsync(() => market.Market.PlaceRequestAsync(request, request.Id, retried: true));
            Assert.Equal((CommandOutcome.Done, 5_000L), (retried.Outcome, retried.Value!.FilledGrams));
            Assert.Equal(CommandOutcome.Replayed, (await market.Market.PlaceRequestAsync(request, request.Id, retried: true)).Outcome);
        }

        Assert.Equal(100_000 - (Waiting + 1) * 5_000, (await market.Market.GetSummaryAsync()).OpenSupply.Sum(b => b.Grams));
        Assert.Equal(100_000 - (Waiting + 1) * 5_000, (await Grains.GetGrain<ISupplyLotGrain>(lot.Id).GetAsync())!.RemainingGrams);
    }

    [Fact]
    public async Task A_shared_write_whose_reply_is_lost_is_answered_from_the_journal_on_retry_and_nothing_doubles()
    {
        var market = new MarketScenario(Grains, "shared-lost");
        await market.CreateProductAsync();
        var lot = await market.PostedLotAsync("lot", 100, 25_000);
        var (first, rest) = await QueueBehindHeldWriteAsync(market, FaultyStorage.Kind.LoseReply);

        Assert.Equal(CommandOutcome.Done, (await first).Outcome);
        foreach (var failed in rest)
        {
            await Assert.ThrowsAnyAsync<Exception>(() => failed);
        }

        await market.DeactivateAsync();
        Assert.Equal(Waiting - 1, (await StoredRecordAsync(market, 3))!.Following!.Count);
        var retried = new List<CommandResult<Receipt>>();
        for (var i = 1; i <= Waiting; i++)
        {
            var request = WaitingRequest(market, i);
            retried.Add(await MarketScenario.RetryWhileReloadingAsync(() => market.Market.PlaceRequestAsync(request, request.Id, retried: true)));
        }

        Assert.All(retried, r => Assert.Equal((CommandOutcome.Replayed, 5_000L), (r.Outcome, r.Value!.FilledGrams)));
        Assert.Equal(Waiting, retried.Select(r => Assert.Single(r.Value!.Deals).Id).Distinct().Count());
        Assert.Equal(100_000 - (Waiting + 1) * 5_000, (await market.Market.GetSummaryAsync()).OpenSupply.Sum(b => b.Grams));
        Assert.Equal(100_000 - (Waiting + 1) * 5_000, (await Grains.GetGrain<ISupplyLotGrain>(lot.Id).GetAsync())!.RemainingGrams);
    }

    [Fact]
    public async Task No_activation_writes_an_entry_number_inside_a_shared_write()
    {
        var market = new MarketScenario(Grains, "shared-fork");
        await market.CreateProductAsync();
        await market.PostedLotAsync("lot", 100, 25_000);
        var (first, rest) = await QueueBehindHeldWriteAsync(market, fault: null);
        await Task.WhenAll([first, .. rest]);
        var last = Waiting + 2;

        // An activation that read the journal before the shared write wants to write its next number, 3: that key exists.
        var stale = new MarketJournal(FaultyStorage.Inner!, market.Product);
        var entry = new MarketEntry(3, DateTimeOffset.UnixEpoch, MarketEntryKind.LotWithdrawn, null, null, "lot-x", 0, [], null, null, [], []);
        await Assert.ThrowsAsync<InconsistentStateException>(() => stale.AppendAsync(entry));

        // One that reads it after gets every entry, its next number is past the shared write, and its write lands there.
        Assert.Equal(Enumerable.Range(1, last).Select(n => (long)n), (await stale.ReadFromAsync(1)).Select(e => e.Number));
        await market.DeactivateAsync();
        await market.Market.PlaceRequestAsync(market.Request("after", 5, 30_000, buyer: "late"), "after");
        Assert.NotNull(await StoredRecordAsync(market, last + 1));
        Assert.Equal(4, FaultyStorage.LandedWrites(JournalKey(market)));
    }

    [Fact]
    public async Task The_journal_reads_shared_and_single_records_alike_from_any_entry()
    {
        var product = $"test-shared-read-{Guid.NewGuid():N}";
        var journal = new MarketJournal(FaultyStorage.Inner!, product);
        await journal.AppendAsync(Entry(1));
        await journal.AppendAsync(Entry(2) with { Following = [Entry(3), Entry(4), Entry(5)] });
        await journal.AppendAsync(Entry(6));

        Assert.Equal([1, 2, 3, 4, 5, 6], (await journal.ReadFromAsync(1)).Select(e => e.Number));
        Assert.All(await journal.ReadFromAsync(1), e => Assert.Null(e.Following));
        Assert.Equal([3, 4], (await journal.ReadRangeAsync(3, 4)).Select(e => e.Number));
        Assert.Equal([5, 6], (await journal.ReadRangeAsync(5, 6)).Select(e => e.Number));
        Assert.Equal([6], (await journal.ReadFromAsync(6)).Select(e => e.Number));
        Assert.Empty(await journal.ReadFromAsync(7));

        static MarketEntry Entry(long number) =>
            new(number, DateTimeOffset.UnixEpoch, MarketEntryKind.LotWithdrawn, null, null, $"lot-{number}", 0, [], null, null, [], []);
    }

    /// <summary>Places a request whose journal write is held (entry 2), then <see cref="Waiting"/> more, which decide
    /// meanwhile; arms <paramref name="fault"/> for the next journal write (entry 3's) and lets the held one go.</summary>
    private static async Task<(Task<CommandResult<Receipt>> First, List<Task<CommandResult<Receipt>>> Others)> QueueBehindHeldWriteAsync(
        MarketScenario market, FaultyStorage.Kind? fault)
    {
        using var held = FaultyStorage.Hold(JournalKey(market));
        var request = market.Request("first", 5, 30_000, buyer: "buyer0");
        var first = market.Market.PlaceRequestAsync(request, request.Id);
        await held.Reached;
        var rest = Enumerable.Range(1, Waiting).Select(i => WaitingRequest(market, i))
            .Select(r => market.Market.PlaceRequestAsync(r, r.Id)).ToList();
        for (var until = DateTime.UtcNow.AddSeconds(20); ; await Task.Delay(10))
        {
            var known = await Task.WhenAll(Enumerable.Range(1, Waiting).Select(i => market.Market.KnowsRequestAsync(RequestId(market, i))));
            if (known.All(k => k))
            {
                break;
            }

            Assert.True(DateTime.UtcNow < until, "the waiting placements were not decided while the write was held");
        }

        using var armed = fault is { } kind ? FaultyStorage.Arm($"{JournalKey(market)}3/", kind) : null;
        held.Release();
        await Task.WhenAny(Task.WhenAll(rest), Task.Delay(TimeSpan.FromSeconds(20)));
        return (first, rest);
    }

    private static RequestTerms WaitingRequest(MarketScenario market, int i) => market.Request($"waiting{i}", 5, 30_000, buyer: $"buyer{i}");

    private static string RequestId(MarketScenario market, int i) => WaitingRequest(market, i).Id;

    private static string JournalKey(MarketScenario market) => $"coopmarket-journal/{market.Product}/";

    private static Task<MarketEntry?> StoredRecordAsync(MarketScenario market, long number) =>
        FaultyStorage.ReadAsync<MarketEntry>("entry", GrainId.Create("coopmarket-journal", $"{market.Product}/{number}"));
}
