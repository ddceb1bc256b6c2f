using CoopMarket.Grains.Market;
using Orleans.Storage;

namespace CoopMarket.Grains.Tests.Market;

/// <summary>A snapshot rewrites only the pages that changed; whatever fails on the way, the stored snapshot loads, and
/// the pages no snapshot names are deleted. Read straight from storage, past the market's memory.</summary>
/// <remarks>Lots of 1 kg at distinct asks and no request: each post is one entry that changes its own lot only, so
/// entry n's lot is on page n / 200 and the pages a snapshot must write are known.</remarks>
[Collection(ClusterCollection.Name)]
public sealed class SnapshotPagesTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Grains;

    [Fact]
    public async Task A_snapshot_writes_the_pages_that_changed_and_deletes_those_it_replaced()
    {
        var market = await PostedAsync("pages", 400);

        // Entry 400's snapshot wrote pages 1 (entries 200–399: entry 200's lot was on it at the first snapshot too)
        // and 2; page 0 has not changed since entry 200's.
        Assert.Equal(
            [(PageFamily.Lots, 0, 200), (PageFamily.Lots, 1, 400), (PageFamily.Lots, 2, 400)],
            (await SnapshotAsync(market))!.Names.Select(p => (p.Family, p.Number, p.Stamp)).Order());
        Assert.Equal(1, FaultyStorage.LandedWrites(PageKey(market, 0)));
        Assert.Null(await PageAsync(market, 1, stamp: 200));
        Assert.Equal(200, (await PageAsync(market, 1, stamp: 400))!.Lots.Count);

        // The record names the pages through one directory, written again with them; the version it replaced is gone.
        Assert.Equal([new SnapshotPageRef(PageFamily.Directory, 0, 400)], (await SnapshotAsync(market))!.Snapshot.Pages);
        Assert.Null(await PageAsync(market, 0, stamp: 200, PageFamily.Directory));

        await AssertReloadsAlikeAsync(market);
    }

    [Fact]
    public async Task A_snapshot_that_names_its_pages_itself_loads_and_the_next_one_names_them_through_a_directory()
    {
        var market = await PostedAsync("undirected", 400);
        await NameWithoutDirectoryAsync(market);

        await AssertReloadsAlikeAsync(market);
        await PostAsync(market, 400, 600);

        // Pages 0 and 1 did not change since they were named without a directory; the directory names them still.
        var snapshot = (await SnapshotAsync(market))!;
        Assert.Equal([new SnapshotPageRef(PageFamily.Directory, 0, 600)], snapshot.Snapshot.Pages);
        Assert.Equal(
            [(PageFamily.Lots, 0, 200), (PageFamily.Lots, 1, 400), (PageFamily.Lots, 2, 600), (PageFamily.Lots, 3, 600)],
            snapshot.Names.Select(p => (p.Family, p.Number, p.Stamp)).Order());
        Assert.Equal(600, snapshot.Lots.Count);
        await AssertReloadsAlikeAsync(market);
    }

    [Fact]
    public async Task An_item_that_changes_after_its_page_was_written_is_written_again()
    {
        // Entry 1: a lot of 10 kg, on page 0 of the lots; entry 2: a request it fills 1 kg of, with its deal, on page 0
        // of the requests and of the deals.
        var market = new MarketScenario(Grains, "changes");
        await market.CreateProductAsync();
        var lot = market.Lot("big", 10, 25_000);
        await market.Market.PostLotAsync(lot, "big");
        var deal = await market.OneDealAsync("first", "buyer", kg: 1);
        await PostAsync(market, 0, 250);

        // After entry 200's snapshot: the deal is confirmed, and the lot sells 2 kg more.
        await market.Market.TakeDealStepAsync(new DealCommand(deal.Id, DealStep.Confirm, DealSide.Cooperative, "confirm", null, null));
        await market.OneDealAsync("second", "buyer", kg: 2);
        await PostAsync(market, 250, 400);

        var snapshot = (await StoredSnapshot.ReadAsync(market.Product))!;
        Assert.Equal(400, snapshot.ThroughEntry);
        Assert.Equal(Deal.Confirmed, Assert.Single(snapshot.Deals, d => d.Id == deal.Id).Status);
        Assert.Equal(7_000, Assert.Single(snapshot.Lots, l => l.Terms.Id == lot.Id).RemainingGrams);
        await AssertReloadsAlikeAsync(market);
    }

    [Fact]
    public async Task A_snapshot_that_fails_half_way_leaves_the_stored_one_whole_and_its_pages_go_later()
    {
        var market = await PostedAsync("half", 200);
        using (FaultyStorage.Arm(PageKey(market, 2)))
        {
            await PostAsync(market, 200, 400);
        }

        // Page 1 of entry 400's snapshot landed, page 2 failed, so that snapshot was never named.
        Assert.NotNull(await PageAsync(market, 1, stamp: 400));
        Assert.Equal(200, (await SnapshotAsync(market))!.ThroughEntry);

        // The next entry's snapshot is written whole, and the stray page goes once it lands.
        await PostAsync(market, 400, 401);
        Assert.Equal(401, (await SnapshotAsync(market))!.ThroughEntry);
        Assert.Null(await PageAsync(market, 1, stamp: 400));

        // A market that goes after a half-written snapshot loads from the one before it.
        using (FaultyStorage.Arm(PageKey(market, 3)))
        {
            await PostAsync(market, 401, 601);
        }

        Assert.Equal(401, (await SnapshotAsync(market))!.ThroughEntry);
        await AssertReloadsAlikeAsync(market);
    }

    [Fact]
    public async Task A_snapshot_cancelled_half_way_writes_its_pages_with_the_next_one()
    {
        // Entry 200's snapshot writes pages 0 and 1; the write of page 1 is cancelled, which reaches the caller of the
        // command that was due the snapshot (its entry stands: a retry with its key is answered from it).
        var market = await PostedAsync("cancelled", 199);
        using (FaultyStorage.Arm(PageKey(market, 1), FaultyStorage.Kind.Cancel))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => PostAsync(market, 199, 200));
        }

        // The next entry's snapshot writes both pages again: page 0 has not changed since, yet no snapshot holds it.
        await PostAsync(market, 200, 201);
        var snapshot = await SnapshotAsync(market);
        Assert.Equal(201, snapshot!.ThroughEntry);
        Assert.Equal([(0L, 201L), (1L, 201L)], snapshot.Names.Select(p => (p.Number, p.Stamp)).Order());
        await AssertReloadsAlikeAsync(market);
    }

    [Fact]
    public async Task A_snapshot_whose_reply_was_lost_is_written_again_and_its_pages_go()
    {
        var market = await PostedAsync("lost", 199);
        using (FaultyStorage.Arm($"coopmarket-snapshot/{market.Product}/", FaultyStorage.Kind.LoseReply))
        {
            await PostAsync(market, 199, 200);
        }

        // Entry 200's snapshot landed unheard and names pages of stamp 200; the next entry's replaces it.
        Assert.Equal(200, (await SnapshotAsync(market))!.ThroughEntry);
        await PostAsync(market, 200, 201);
        var snapshot = await SnapshotAsync(market);
        Assert.Equal(201, snapshot!.ThroughEntry);
        Assert.All(snapshot.Snapshot.Pages.Concat(snapshot.Names), p => Assert.Equal(201, p.Stamp));
        Assert.Null(await PageAsync(market, 0, stamp: 200));
        await AssertReloadsAlikeAsync(market);
    }

    [Fact]
    public async Task A_market_whose_snapshot_names_a_page_that_is_gone_rebuilds_from_the_whole_journal()
    {
        var market = await PostedAsync("gone", 230);
        var deal = await market.OneDealAsync("request", "buyer", kg: 1);
        var page = GrainId.Create("coopmarket-snapshot-page", $"{market.Product}/Lots/0/200");
        var state = new GrainState<SnapshotPage>();
        await FaultyStorage.Inner!.ReadStateAsync("page", page, state);
        await FaultyStorage.Inner.ClearStateAsync("page", page, state);

        await AssertReloadsAlikeAsync(market);
        var again = await market.Market.PostLotAsync(market.Lot("lot0", 1, 25_000), "lot0");
        Assert.Equal(CommandOutcome.Replayed, again.Outcome);
        var step = await market.Market.TakeDealStepAsync(new DealCommand(deal.Id, DealStep.Confirm, DealSide.Cooperative, "confirm", null, null));
        Assert.Equal(Deal.Confirmed, step.Status);
    }

    [Fact]
    public async Task A_snapshot_from_before_pages_loads_and_the_next_one_writes_it_as_pages()
    {
        var market = await PostedAsync("legacy", 230);
        var deal = await market.OneDealAsync("request", "buyer", kg: 1);

        await MakeLegacyAsync(market);
        await AssertReloadsAlikeAsync(market);
        await PostAsync(market, 230, 400);
        var snapshot = (await StoredSnapshot.ReadAsync(market.Product))!;
        Assert.Equal(400, snapshot.ThroughEntry);
        Assert.Empty(snapshot.Snapshot.Lots);
        Assert.Equal(399, snapshot.Lots.Count); // 230 + 169 lots by entry 400 (entry 231 placed the request)
        Assert.Equal(Deal.Confirmed, (await market.Market.TakeDealStepAsync(
            new DealCommand(deal.Id, DealStep.Confirm, DealSide.Cooperative, "confirm", null, null))).Status);
        await AssertReloadsAlikeAsync(market);
    }

    [Fact]
    public async Task A_rebuild_from_the_whole_journal_keeps_no_page_of_the_snapshot_it_did_not_trust()
    {
        // Entries 1–230 post lots, entry 231 places a request too cheap for them (it rests), entries 232–400 post lots:
        // no entry of page 0's range placed a request.
        var market = await PostedAsync("distrust", 230);
        var request = market.Request("resting", 10, 20_000);
        await market.Market.PlaceRequestAsync(request, "resting");
        await PostAsync(market, 231, 400);
        await MakeLegacyAsync(market);

        // Loaded from the snapshot from before pages, everything it held is on page 0 of its family; entry 600's
        // snapshot writes them so. Entry 601 cancels the request, and a page of entry 600's snapshot is lost.
        await fixture.DeactivateAllAsync();
        await PostAsync(market, 400, 600);
        Assert.Contains(PageFamily.Requests, (await SnapshotAsync(market))!.Names.Where(p => p.Number == 0).Select(p => p.Family));
        Assert.Equal(RequestView.Cancelled, (await market.Market.CancelRequestAsync(request.Id))!.Status);
        var page = GrainId.Create("coopmarket-snapshot-page", $"{market.Product}/Lots/2/600");
        var state = new GrainState<SnapshotPage>();
        await FaultyStorage.Inner!.ReadStateAsync("page", page, state);
        await FaultyStorage.Inner.ClearStateAsync("page", page, state);

        // The market rebuilds from the whole journal, which puts the request on page 1, and entry 602's snapshot writes
        // every page that holds something: the old page 0 of the requests, which still holds the request open, is not one.
        await AssertReloadsAlikeAsync(market);
        await PostAsync(market, 600, 601);
        var snapshot = (await StoredSnapshot.ReadAsync(market.Product))!;
        Assert.Equal(602, snapshot.ThroughEntry);
        Assert.Empty(snapshot.Requests);
        await AssertReloadsAlikeAsync(market);
        Assert.False(await market.Market.KnowsRequestAsync(request.Id));
    }

    private Task<MarketScenario> PostedAsync(string name, int lots) => PostedAsync(Grains, name, lots);

    /// <summary>A new market holding <paramref name="lots"/> lots of 1 kg, posted one entry each.</summary>
    internal static async Task<MarketScenario> PostedAsync(IGrainFactory grains, string name, int lots)
    {
        var market = new MarketScenario(grains, name);
        await market.CreateProductAsync();
        await PostAsync(market, 0, lots);
        return market;
    }

    /// <summary>Stores the snapshot again as it was written before pages: everything in the one record.</summary>
    private static async Task MakeLegacyAsync(MarketScenario market)
    {
        var paged = (await StoredSnapshot.ReadAsync(market.Product))!;
        var id = GrainId.Create("coopmarket-snapshot", market.Product);
        var state = new GrainState<MarketSnapshot>();
        await FaultyStorage.Inner!.ReadStateAsync("snapshot", id, state);
        state.State!.Lots = paged.Lots;
        state.State.Requests = paged.Requests;
        state.State.Deals = paged.Deals;
        state.State.Pages = [];
        await FaultyStorage.Inner.WriteStateAsync("snapshot", id, state);
    }

    /// <summary>Stores the snapshot again as it was written before directories: the record names its pages itself.</summary>
    internal static async Task NameWithoutDirectoryAsync(MarketScenario market)
    {
        var directed = (await StoredSnapshot.ReadAsync(market.Product))!;
        var id = GrainId.Create("coopmarket-snapshot", market.Product);
        var state = new GrainState<MarketSnapshot>();
        await FaultyStorage.Inner!.ReadStateAsync("snapshot", id, state);
        var directories = state.State!.Pages;
        state.State.Pages = [.. directed.Names];
        await FaultyStorage.Inner.WriteStateAsync("snapshot", id, state);
        foreach (var directory in directories)
        {
            var page = new GrainState<SnapshotPage>();
            await FaultyStorage.Inner.ReadStateAsync("page", StoredSnapshot.PageId(market.Product, directory), page);
            await FaultyStorage.Inner.ClearStateAsync("page", StoredSnapshot.PageId(market.Product, directory), page);
        }
    }

    internal static async Task PostAsync(MarketScenario market, int from, int to)
    {
        for (var i = from; i < to; i++)
        {
            await market.Market.PostLotAsync(market.Lot($"lot{i}", 1, 25_000 + i), $"lot{i}");
        }
    }

    /// <summary>Deactivates every grain, so the market loads from storage, and checks it holds the book it held.</summary>
    private Task AssertReloadsAlikeAsync(MarketScenario market) => AssertReloadsAlikeAsync(fixture, market);

    internal static async Task AssertReloadsAlikeAsync(ClusterFixture fixture, MarketScenario market)
    {
        var before = MarketScenario.Describe(await market.Market.GetSummaryAsync());
        await fixture.DeactivateAllAsync();
        Assert.Equal(before, MarketScenario.Describe(await market.Market.GetSummaryAsync()));
    }

    private static Task<StoredSnapshot?> SnapshotAsync(MarketScenario market) => StoredSnapshot.ReadAsync(market.Product);

    internal static Task<SnapshotPage?> PageAsync(MarketScenario market, long number, long stamp, PageFamily family = PageFamily.Lots) =>
        FaultyStorage.ReadAsync<SnapshotPage>("page", StoredSnapshot.PageId(market.Product, new SnapshotPageRef(family, number, stamp)));

    private static string PageKey(MarketScenario market, long number) => $"coopmarket-snapshot-page/{market.Product}/Lots/{number}/";
}
