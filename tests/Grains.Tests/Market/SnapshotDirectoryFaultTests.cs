using CoopMarket.Grains.Market;
using Orleans.Storage;
using static CoopMarket.Grains.Tests.Market.SnapshotPagesTests;

namespace CoopMarket.Grains.Tests.Market;

/// <summary>Whatever fails while a snapshot writes its directory pages, its record or its deletions, the stored snapshot
/// loads, the market reloads as it was, and once a later snapshot lands storage holds no version of a page or directory
/// that snapshot does not name. Read straight from storage, past the market's memory.</summary>
/// <remarks>Lots of 1 kg at distinct asks, as in <see cref="SnapshotPagesTests"/>: entry n's lot is on page n / 200, and
/// every page is named by directory 0. Only the superseded market's test places a request, to have deals to audit.</remarks>
[Collection(ClusterCollection.Name)]
public sealed class SnapshotDirectoryFaultTests(ClusterFixture fixture)
{
    [Theory]
    [InlineData(FaultyStorage.Kind.Fail)]
    [InlineData(FaultyStorage.Kind.LoseReply)]
    public async Task A_directory_write_that_fails_leaves_the_stored_snapshot_and_its_version_goes_with_the_next(FaultyStorage.Kind kind)
    {
        var market = await PostedAsync(fixture.Grains, $"directory-{kind}", 200);
        using (FaultyStorage.Arm(DirectoryKey(market), kind))
        {
            await PostAsync(market, 200, 400);
        }

        // Entry 400's pages landed, its directory did not (or unheard), so its record was never written.
        Assert.Equal(200, (await StoredSnapshot.ReadAsync(market.Product))!.ThroughEntry);
        Assert.NotNull(await PageAsync(market, 1, stamp: 400));

        await AssertNextSnapshotLandsCleanAsync(market, 400);
    }

    [Fact]
    public async Task Two_snapshots_that_fail_then_one_that_lands_leave_only_what_it_names()
    {
        // Entry 400's record fails; entry 401's lands unheard; entry 402's lands.
        var market = await PostedAsync(fixture.Grains, "twice", 200);
        using (FaultyStorage.Arm(RecordKey(market)))
        {
            await PostAsync(market, 200, 400);
        }

        using (FaultyStorage.Arm(RecordKey(market), FaultyStorage.Kind.LoseReply))
        {
            await PostAsync(market, 400, 401);
        }

        Assert.Equal(401, (await StoredSnapshot.ReadAsync(market.Product))!.ThroughEntry);
        await PostAsync(market, 401, 402);
        var stored = (await StoredSnapshot.ReadAsync(market.Product))!;
        Assert.Equal(402, stored.ThroughEntry);
        Assert.Equal(402, stored.Lots.Count);
        await AssertOnlyNamedVersionsStoredAsync(market);
        await AssertReloadsAlikeAsync(fixture, market);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_directory_or_record_write_cancelled_is_written_with_the_next_snapshot(bool directory)
    {
        var market = await PostedAsync(fixture.Grains, $"cancelled-{directory}", 199);
        using (FaultyStorage.Arm(directory ? DirectoryKey(market) : RecordKey(market), FaultyStorage.Kind.Cancel))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => PostAsync(market, 199, 200));
        }

        await PostAsync(market, 200, 201);
        var stored = (await StoredSnapshot.ReadAsync(market.Product))!;
        Assert.Equal([new SnapshotPageRef(PageFamily.Directory, 0, 201)], stored.Snapshot.Pages);
        await AssertOnlyNamedVersionsStoredAsync(market);
        await AssertReloadsAlikeAsync(fixture, market);
    }

    [Fact]
    public async Task A_replaced_directory_that_fails_to_go_goes_with_the_next_snapshot()
    {
        var market = await PostedAsync(fixture.Grains, "undeleted", 200);
        using (FaultyStorage.Arm($"{DirectoryKey(market)}0/200/"))
        {
            await PostAsync(market, 200, 400);
        }

        // Entry 400's snapshot landed, but the directory version it replaced is still stored: it says so.
        var stored = (await StoredSnapshot.ReadAsync(market.Product))!;
        Assert.Equal(400, stored.ThroughEntry);
        Assert.Contains(new SnapshotPageRef(PageFamily.Directory, 0, 200), stored.Snapshot.Retired);
        Assert.NotNull(await PageAsync(market, 0, stamp: 200, PageFamily.Directory));

        await PostAsync(market, 400, 600);
        await AssertOnlyNamedVersionsStoredAsync(market);
        await AssertReloadsAlikeAsync(fixture, market);
    }

    [Fact]
    public async Task A_market_one_of_whose_directories_is_lost_rebuilds_and_deletes_the_pages_the_others_name()
    {
        // The record names directory 0 and a directory 1 whose page is lost (a season past entry 51,200 has one).
        var market = await PostedAsync(fixture.Grains, "lost-directory", 400);
        var id = GrainId.Create("coopmarket-snapshot", market.Product);
        var record = new GrainState<MarketSnapshot>();
        await FaultyStorage.Inner!.ReadStateAsync("snapshot", id, record);
        record.State!.Pages.Add(new SnapshotPageRef(PageFamily.Directory, 1, 400));
        await FaultyStorage.Inner.WriteStateAsync("snapshot", id, record);

        // The market rebuilds from the whole journal; entry 401's snapshot names only what it wrote, and the pages
        // directory 0 named, which it can still find, go.
        await AssertReloadsAlikeAsync(fixture, market);
        await PostAsync(market, 400, 401);
        Assert.Equal(401, (await StoredSnapshot.ReadAsync(market.Product))!.ThroughEntry);
        Assert.Null(await PageAsync(market, 0, stamp: 200));
        await AssertOnlyNamedVersionsStoredAsync(market);
        await AssertReloadsAlikeAsync(fixture, market);
    }

    [Theory]
    [InlineData(true, FaultyStorage.Kind.Fail)]
    [InlineData(true, FaultyStorage.Kind.LoseReply)]
    [InlineData(false, FaultyStorage.Kind.Fail)]
    [InlineData(false, FaultyStorage.Kind.LoseReply)]
    public async Task A_record_from_before_directories_upgrades_though_its_first_directory_snapshot_fails(bool directory, FaultyStorage.Kind kind)
    {
        var market = await PostedAsync(fixture.Grains, $"upgrade-{directory}-{kind}", 400);
        await NameWithoutDirectoryAsync(market);
        await AssertReloadsAlikeAsync(fixture, market);

        using (FaultyStorage.Arm(directory ? DirectoryKey(market) : RecordKey(market), kind))
        {
            await PostAsync(market, 400, 600);
        }

        // Pages 0 and 1 have not changed since the record named them itself; the directory names those versions.
        await PostAsync(market, 600, 601);
        var stored = (await StoredSnapshot.ReadAsync(market.Product))!;
        Assert.Equal([new SnapshotPageRef(PageFamily.Directory, 0, 601)], stored.Snapshot.Pages);
        Assert.Equal(
            [(0L, 200L), (1L, 400L), (2L, 601L), (3L, 601L)],
            stored.Names.Select(p => (p.Number, p.Stamp)).Order());
        await AssertOnlyNamedVersionsStoredAsync(market);
        await AssertReloadsAlikeAsync(fixture, market);
    }

    [Fact]
    public async Task A_record_from_before_directories_whose_page_is_lost_rebuilds_and_leaves_no_page_behind()
    {
        var market = await PostedAsync(fixture.Grains, "upgrade-lost", 400);
        await NameWithoutDirectoryAsync(market);
        var page = StoredSnapshot.PageId(market.Product, new SnapshotPageRef(PageFamily.Lots, 1, 400));
        var state = new GrainState<SnapshotPage>();
        await FaultyStorage.Inner!.ReadStateAsync("page", page, state);
        await FaultyStorage.Inner.ClearStateAsync("page", page, state);

        await AssertReloadsAlikeAsync(fixture, market);
        await PostAsync(market, 400, 401);
        var stored = (await StoredSnapshot.ReadAsync(market.Product))!;
        Assert.Equal([new SnapshotPageRef(PageFamily.Directory, 0, 401)], stored.Snapshot.Pages);
        Assert.All(stored.Names, name => Assert.Equal(401, name.Stamp));
        await AssertOnlyNamedVersionsStoredAsync(market);
        await AssertReloadsAlikeAsync(fixture, market);
    }

    [Fact]
    public async Task A_deal_stepped_on_an_old_page_after_failed_snapshots_reloads_as_it_stood()
    {
        // Entry 1 posts a lot of 10 kg and entry 2 sells 1 kg of it: both on page 0 of their families.
        var market = new MarketScenario(fixture.Grains, "old-deal");
        await market.CreateProductAsync();
        var lot = await market.PostedLotAsync("big", 10, 25_000);
        var deal = await market.OneDealAsync("first", "buyer", kg: 1);
        await PostAsync(market, 0, 200);

        // Entry 400's snapshot fails at its directory, then the deal is confirmed (entry 401) and that snapshot lands.
        using (FaultyStorage.Arm(DirectoryKey(market)))
        {
            await PostAsync(market, 200, 398);
        }

        Assert.Equal(200, (await StoredSnapshot.ReadAsync(market.Product))!.ThroughEntry);
        await market.StepAsync(deal, DealStep.Confirm, DealSide.Cooperative);
        var stored = (await StoredSnapshot.ReadAsync(market.Product))!;
        Assert.Equal(401, stored.ThroughEntry);
        Assert.Equal(Deal.Confirmed, Assert.Single(stored.Deals, d => d.Id == deal.Id).Status);
        Assert.Equal(9_000, Assert.Single(stored.Lots, l => l.Terms.Id == lot.Id).RemainingGrams);
        await AssertOnlyNamedVersionsStoredAsync(market);
        await AssertReloadsAlikeAsync(fixture, market);

        Assert.Equal(Deal.Shipped, (await market.StepAsync(deal, DealStep.Ship, DealSide.Cooperative)).Status);
        await QuantityAudit.AssertLotsBalancedAsync(fixture.Grains, lot.Id);
        await QuantityAudit.AssertRequestsBalancedAsync(fixture.Grains, deal.RequestId);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_market_that_goes_before_its_snapshot_lands_leaves_the_next_activation_its_versions_to_delete(bool twice)
    {
        // Entry 400's directory write fails, so its pages and directory are stored but never named, and the market goes.
        var market = await PostedAsync(fixture.Grains, $"gone-{twice}", 200);
        using (FaultyStorage.Arm(DirectoryKey(market)))
        {
            await PostAsync(market, 200, 400);
        }

        Assert.NotNull(await PageAsync(market, 1, stamp: 400));
        await market.DeactivateAsync();
        if (twice)
        {
            // The next activation's first snapshot (entry 401, overdue) fails too, at its record, and it goes as well.
            using (FaultyStorage.Arm(RecordKey(market)))
            {
                await PostAsync(market, 400, 401);
            }

            Assert.NotNull(await PageAsync(market, 2, stamp: 401));
            await market.DeactivateAsync();
        }

        // A snapshot of a later activation lands, and deletes what the earlier ones wrote.
        var from = twice ? 401 : 400;
        await PostAsync(market, from, from + 1);
        Assert.Equal(from + 1, (await StoredSnapshot.ReadAsync(market.Product))!.ThroughEntry);
        Assert.Null(await PageAsync(market, 1, stamp: 400));
        if (twice)
        {
            Assert.Null(await PageAsync(market, 2, stamp: 401));
        }

        await AssertOnlyNamedVersionsStoredAsync(market);
        await AssertReloadsAlikeAsync(fixture, market);
    }

    [Theory]
    [InlineData(FaultyStorage.Kind.Fail, false)]
    [InlineData(FaultyStorage.Kind.Fail, true)]
    [InlineData(FaultyStorage.Kind.LoseReply, false)]
    [InlineData(FaultyStorage.Kind.LoseReply, true)]
    [InlineData(FaultyStorage.Kind.Cancel, false)]
    [InlineData(FaultyStorage.Kind.Cancel, true)]
    public async Task An_attempt_write_that_fails_leaves_the_stored_snapshot_and_the_next_one_lands(FaultyStorage.Kind kind, bool goes)
    {
        // Entry 400's snapshot fails at the attempt it writes first (or stores it unheard), so it writes no page.
        var market = await PostedAsync(fixture.Grains, $"attempt-{kind}-{goes}", 399);
        using (FaultyStorage.Arm($"coopmarket-snapshot-attempt/{market.Product}/", kind))
        {
            var posting = PostAsync(market, 399, 400);
            await (kind == FaultyStorage.Kind.Cancel ? Assert.ThrowsAnyAsync<OperationCanceledException>(() => posting) : posting);
        }

        Assert.Equal(200, (await StoredSnapshot.ReadAsync(market.Product))!.ThroughEntry);
        Assert.Null(await PageAsync(market, 1, stamp: 400));
        if (goes)
        {
            await market.DeactivateAsync();
        }

        await AssertNextSnapshotLandsCleanAsync(market, 400);
    }

    [Fact]
    public async Task A_snapshot_that_overwrites_another_activations_attempt_deletes_what_that_one_wrote()
    {
        // Two activations of the market (possible for a moment after a silo failure) load entry 200's snapshot; the
        // first's snapshot (entry 300) writes its pages and its directory, but its record fails, and it goes.
        var market = await PostedAsync(fixture.Grains, "overwritten-attempt", 200);
        await market.DeactivateAsync();
        var (first, second, pages) = await TwoActivationsAsync(market);
        using (FaultyStorage.Arm(RecordKey(market)))
        {
            await Assert.ThrowsAsync<IOException>(() => first.WriteSnapshotAsync(new MarketSnapshot { ThroughEntry = 300 }, [pages[0]]));
        }

        Assert.NotNull(await PageAsync(market, 0, stamp: 300));

        // The second's attempt meets the first's, fails, and the one after overwrites it: that snapshot deletes what
        // the first wrote, which it alone listed.
        await Assert.ThrowsAnyAsync<Exception>(() => second.WriteSnapshotAsync(new MarketSnapshot { ThroughEntry = 400 }, [pages[1]]));
        await second.RefreshAfterFailureAsync();
        await second.WriteSnapshotAsync(new MarketSnapshot { ThroughEntry = 401 }, [pages[1]]);
        Assert.Null(await PageAsync(market, 0, stamp: 300));
        Assert.Null(await PageAsync(market, 0, stamp: 300, PageFamily.Directory));
        await AssertOnlyNamedVersionsStoredAsync(market);
    }

    [Fact]
    public async Task An_activation_whose_snapshot_another_one_replaced_writes_none_that_names_what_that_one_deleted()
    {
        // Both activations load entry 200's snapshot; the first's next (entry 300) lands, and deletes the versions of
        // page 0 and directory 0 it replaced, which the second's directory still names.
        var market = await PostedAsync(fixture.Grains, "superseded", 200);
        await market.DeactivateAsync();
        var (first, second, pages) = await TwoActivationsAsync(market);
        await first.WriteSnapshotAsync(new MarketSnapshot { ThroughEntry = 300 }, [pages[0]]);
        Assert.Null(await PageAsync(market, 0, stamp: 200));

        // The second's snapshot meets the first's, fails, and it writes none after: one would name page 0 of entry 200.
        await Assert.ThrowsAnyAsync<Exception>(() => second.WriteSnapshotAsync(new MarketSnapshot { ThroughEntry = 400 }, [pages[1]]));
        await second.RefreshAfterFailureAsync();
        await Assert.ThrowsAnyAsync<Exception>(() => second.WriteSnapshotAsync(new MarketSnapshot { ThroughEntry = 401 }, [pages[1]]));
        Assert.Equal(300, (await StoredSnapshot.ReadAsync(market.Product))!.ThroughEntry);
        Assert.NotNull((await new MarketJournal(FaultyStorage.Inner!, market.Product).ReadSnapshotAsync())!.Value.Pages);
        await AssertOnlyNamedVersionsStoredAsync(market);
    }

    [Fact]
    public async Task A_market_that_finds_another_activations_snapshot_stored_goes_and_its_next_activation_loads_from_that_one()
    {
        // Entry 200's snapshot lands; another activation loads it with entry 201 and stores its own snapshot, through 201.
        var market = await PostedAsync(fixture.Grains, "superseded-market", 201);
        await WriteAnotherActivationsSnapshotAsync(market);
        Assert.Equal(201, (await StoredSnapshot.ReadAsync(market.Product))!.ThroughEntry);

        // Entry 202 sells 3 kg, so the audit has deals to follow through the reload. Entry 400's snapshot fails on the etag
        // of the attempt record the other activation rewrote; finding that one's snapshot stored, this activation goes.
        // Only loading reads the journal: counted from before it goes, as its deals' reminder may wake the next one first.
        var journalReads = FaultyStorage.ReadsOf(JournalKey(market));
        var request = market.Request("bought", 3, 30_000);
        var deals = (await market.Market.PlaceRequestAsync(request, "bought")).Value!.Deals;
        Assert.Equal(3, deals.Count);
        await PostAsync(market, 201, 399);

        // Nothing of its snapshot landed: neither its record nor a page.
        Assert.Equal(201, (await StoredSnapshot.ReadAsync(market.Product))!.ThroughEntry);
        Assert.Null(await PageAsync(market, 2, stamp: 400));

        // Entry 401 is not refused: the activation that goes takes no message, which Orleans reroutes to a new one. That one
        // loaded the other one's snapshot as its own: 200 entries after it, its snapshot is due, and lands over it.
        await PostAsync(market, 399, 400);
        Assert.True(FaultyStorage.ReadsOf(JournalKey(market)) > journalReads, "no activation loaded the market again after entry 400's snapshot failed");
        var stored = (await StoredSnapshot.ReadAsync(market.Product))!;
        Assert.Equal(401, stored.ThroughEntry);
        await AssertOnlyNamedVersionsStoredAsync(market);

        // Every kilogram posted is there once: 400 lots of 1 kg, 3 of them sold, entry 201's among those left open.
        await AssertReloadsAlikeAsync(fixture, market);
        Assert.Equal(397_000, stored.Lots.Sum(lot => lot.RemainingGrams));
        Assert.Equal(397_000, (await market.Market.GetSummaryAsync()).OpenSupply.Sum(band => band.Grams));
        await QuantityAudit.AssertLotsBalancedAsync(fixture.Grains, deals.Select(deal => deal.LotId).Append($"{market.Product}-lot200"));
        await QuantityAudit.AssertRequestsBalancedAsync(fixture.Grains, request.Id);
    }

    /// <summary>Stores the snapshot another activation of the market would, having loaded the stored snapshot and the one
    /// entry after it (a lot of 1 kg, unsold), through a journal of its own and its own wrapper of storage, so that what it
    /// writes is among what <see cref="FaultyStorage.StoredAsync{T}"/> finds.</summary>
    private static async Task WriteAnotherActivationsSnapshotAsync(MarketScenario market)
    {
        var other = new MarketJournal(new FaultyStorage(FaultyStorage.Inner!), market.Product);
        var (snapshot, pages) = (await other.ReadSnapshotAsync())!.Value;
        var entry = Assert.Single(await other.ReadFromAsync(snapshot.ThroughEntry + 1));
        var page = pages!.Single(p => p.Family == PageFamily.Lots && p.Number == entry.Number / SnapshotPages.EntriesPerPage);
        page.Lots.Add(new SnapshotLot(entry.Lot!, entry.Sequence, entry.Lot!.QuantityGrams));
        snapshot.ThroughEntry = entry.Number;
        snapshot.NextSequence = entry.Sequence + 1;
        snapshot.ProjectedThrough = entry.Number;
        snapshot.Receipts.Add(new RememberedReceipt(entry.BodyHash!, entry.Receipt!, entry.Number));
        await other.WriteSnapshotAsync(snapshot, [page]);
    }

    /// <summary>Two journals of the market, as two of its activations would hold them, each having loaded its stored
    /// snapshot, and the pages it names.</summary>
    private static async Task<(MarketJournal First, MarketJournal Second, List<SnapshotPage> Pages)> TwoActivationsAsync(MarketScenario market)
    {
        var storage = new FaultyStorage(FaultyStorage.Inner!);
        var first = new MarketJournal(storage, market.Product);
        var second = new MarketJournal(storage, market.Product);
        var pages = (await first.ReadSnapshotAsync())!.Value.Pages!.OrderBy(page => page.Number).ToList();
        await second.ReadSnapshotAsync();
        Assert.Equal(2, pages.Count);
        return (first, second, pages);
    }

    /// <summary>The snapshot of the entry after <paramref name="entry"/> lands, storage holds only what it names, and the
    /// market reloads as it was.</summary>
    private async Task AssertNextSnapshotLandsCleanAsync(MarketScenario market, int entry)
    {
        await PostAsync(market, entry, entry + 1);
        Assert.Equal(entry + 1, (await StoredSnapshot.ReadAsync(market.Product))!.ThroughEntry);
        await AssertOnlyNamedVersionsStoredAsync(market);
        await AssertReloadsAlikeAsync(fixture, market);
    }

    /// <summary>Every version of a page or directory of the market that storage holds is one its stored snapshot names.</summary>
    private static async Task AssertOnlyNamedVersionsStoredAsync(MarketScenario market)
    {
        var stored = (await StoredSnapshot.ReadAsync(market.Product))!;
        Assert.Equal(
            stored.Snapshot.Pages.Concat(stored.Names).Select(name => StoredSnapshot.PageId(market.Product, name).ToString()).Order(),
            (await FaultyStorage.StoredAsync<SnapshotPage>($"coopmarket-snapshot-page/{market.Product}/")).Select(id => id.ToString()).Order());
    }

    private static string DirectoryKey(MarketScenario market) => $"coopmarket-snapshot-page/{market.Product}/Directory/";

    private static string RecordKey(MarketScenario market) => $"coopmarket-snapshot/{market.Product}/";

    private static string JournalKey(MarketScenario market) => $"coopmarket-journal/{market.Product}/";
}
