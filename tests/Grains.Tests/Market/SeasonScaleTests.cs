using CoopMarket.Grains.Market;
using Orleans.Storage;

namespace CoopMarket.Grains.Tests.Market;

/// <summary>A market late in the season costs what it cost early: what closed leaves the book and the snapshot, the
/// market has a today, and its journal cannot fork.</summary>
[Collection(ClusterCollection.Name)]
public sealed class SeasonScaleTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Grains;

    [Fact]
    public async Task Sold_lots_and_filled_requests_leave_the_book_and_the_snapshot_holds_only_the_open_book()
    {
        var market = new MarketScenario(Grains, "forget");
        await market.CreateProductAsync();
        var big = market.Request("big", 100_000, 30_000);
        await market.Market.PlaceRequestAsync(big, "big");
        var deals = new List<Deal>();
        for (var i = 0; i < 205; i++)
        {
            var receipt = (await market.Market.PostLotAsync(market.Lot($"lot{i}", 1, 25_000), $"lot{i}")).Value!;
            Assert.Equal(LotView.Sold, receipt.Status);
            deals.AddRange(receipt.Deals);
        }

        // A sold lot whose deal may still give its grams back stays, compact: at zero, and only as long as that deal.
        var snapshot = await StoredSnapshot.ReadAsync(market.Product);
        Assert.Equal(200, snapshot!.ThroughEntry);
        Assert.All(snapshot.Lots, lot => Assert.Equal(0, lot.RemainingGrams));
        Assert.Equal(snapshot.Deals.Select(d => d.LotId).Order(), snapshot.Lots.Select(l => l.Terms.Id).Order());

        // Once delivered, no deal can give grams back (a shipped one may still, to its request, if it arrives short):
        // the lots leave the book.
        foreach (var deal in deals)
        {
            await market.Market.TakeDealStepAsync(new DealCommand(deal.Id, DealStep.Confirm, DealSide.Cooperative, null));
            await market.Market.TakeDealStepAsync(new DealCommand(deal.Id, DealStep.Ship, DealSide.Cooperative, null));
            await market.Market.TakeDealStepAsync(new DealCommand(deal.Id, DealStep.Deliver, DealSide.Buyer, null, deal.QuantityGrams));
        }

        var small = market.Request("small", 1, 30_000);
        await market.Market.PlaceRequestAsync(small, "small");

        snapshot = await StoredSnapshot.ReadAsync(market.Product);
        Assert.Equal(800, snapshot!.ThroughEntry);
        // Entry 800 fell among the last deliveries: only the lots whose deals had not yet been delivered are still there.
        Assert.InRange(snapshot.Lots.Count, 1, 10);
        Assert.All(snapshot.Lots, lot => Assert.Contains(snapshot.Deals, d => d.LotId == lot.Terms.Id && DealLifecycle.MayGiveGramsBack(d.Status)));
        Assert.Equal([big.Id], snapshot.Requests.Select(r => r.Terms.Id));
        var summary = await market.Market.GetSummaryAsync();
        Assert.Empty(summary.OpenSupply);
        Assert.Equal(100_000_000L - 205_000L + 1_000L, summary.OpenDemand.Sum(b => b.Grams));
        Assert.Equal(2, summary.OpenDemand.Sum(b => b.Requests));
    }

    [Fact]
    public async Task The_snapshot_keeps_a_bounded_number_of_receipts_and_older_retries_are_answered_by_the_record()
    {
        var market = new MarketScenario(Grains, "receipts");
        await market.CreateProductAsync();
        var first = market.Lot("first", 1, 90_000);
        var posted = (await market.Market.PostLotAsync(first, "first")).Value!;
        for (var i = 0; i < 620; i++)
        {
            await market.Market.PostLotAsync(market.Lot($"lot{i}", 1, 90_000), $"lot{i}");
        }

        var snapshot = await StoredSnapshot.ReadAsync(market.Product);
        Assert.Equal(600, snapshot!.ThroughEntry);
        Assert.Equal(200, snapshot.Snapshot.Receipts.Count);
        var claim = await Grains.GetGrain<ISupplyLotGrain>(first.Id).ClaimAsync("first");
        Assert.Equal(CommandOutcome.Replayed, claim.Outcome);
        Assert.Equivalent(posted, claim.Receipt, strict: true);
    }

    [Fact]
    public async Task A_retry_whose_claim_ran_before_the_record_knew_is_answered_from_the_record_once_the_market_let_go()
    {
        var market = new MarketScenario(Grains, "late-retry");
        await market.CreateProductAsync();
        var lot = market.Lot("lot", 10, 90_000);
        var first = (await market.Market.PostLotAsync(lot, "body")).Value!;
        for (var i = 0; i < 420; i++)
        {
            await market.Market.PostLotAsync(market.Lot($"more{i}", 1, 90_000), $"more{i}");
        }

        await market.Market.WithdrawLotAsync(lot.Id);
        var supply = (await market.Market.GetSummaryAsync()).OpenSupply.Sum(b => b.Grams);

        // The gateway's claim saw no receipt yet (the record lagged), so it tells the market this is a retry.
        var retry = await market.Market.PostLotAsync(lot, "body", retried: true);

        Assert.Equal(CommandOutcome.Replayed, retry.Outcome);
        Assert.Equivalent(first, retry.Value, strict: true);
        Assert.Equal(supply, (await market.Market.GetSummaryAsync()).OpenSupply.Sum(b => b.Grams));
        Assert.Equal(LotView.Withdrawn, (await Grains.GetGrain<ISupplyLotGrain>(lot.Id).GetAsync())!.Status);
    }

    [Fact]
    public async Task A_snapshot_late_in_a_busy_day_is_no_bigger_than_an_early_one()
    {
        var market = new MarketScenario(Grains, "receipts-busy");
        await market.CreateProductAsync();
        await market.Market.PlaceRequestAsync(market.Request("big", 100_000, 30_000), "big");

        // Every lot sells at once into the one open request, and every record hears of it before the answer: the
        // open book stays one request, and each lot's record can answer a retry with its receipt.
        var sizes = new List<int>();
        for (var i = 0; i < 400; i++)
        {
            await market.Market.PostLotAsync(market.Lot($"lot{i}", 1, 25_000), $"lot{i}");
            if ((i + 2) % 200 == 0)
            {
                var snapshot = await StoredSnapshot.ReadAsync(market.Product);
                Assert.Equal(i + 2, snapshot!.ThroughEntry);
                // Sold lots whose deals are still proposed stay at zero, one per deal in progress: bounded by those deals.
                Assert.True(snapshot.Lots.Count(l => l.RemainingGrams == 0) <= snapshot.Deals.Count);
                sizes.Add(snapshot.Lots.Count(l => l.RemainingGrams > 0) + snapshot.Requests.Count + snapshot.Snapshot.Receipts.Count);
            }
        }

        Assert.True(sizes[^1] <= sizes[0], $"snapshot sizes (open lots + open requests + receipts) at entries 200 and 400: {string.Join(", ", sizes)}");
    }

    [Fact]
    public async Task Lots_past_their_life_and_requests_past_their_window_expire_when_the_market_day_turns()
    {
        var market = new MarketScenario(Grains, "expiry");
        await market.CreateProductAsync();
        var today = ClusterFixture.Clock.Today();
        // Fresh (18 days of shelf life) until two days from today, and nobody pays its ask.
        var ageing = market.Lot("ageing", 10, 90_000) with { HarvestFrom = today.AddDays(-17), HarvestTo = today.AddDays(-16) };
        var closing = market.Request("closing", 10, 30_000) with { DeliverFrom = today, DeliverBy = today.AddDays(1) };
        await market.Market.PostLotAsync(ageing, "ageing");
        await market.Market.PlaceRequestAsync(closing, "closing");

        ClusterFixture.Clock.Advance(TimeSpan.FromDays(3));
        await market.Market.PostLotAsync(market.Lot("next-day", 1, 90_000), "next-day");

        var lot = (await Grains.GetGrain<ISupplyLotGrain>(ageing.Id).GetAsync())!;
        var request = (await Grains.GetGrain<IPurchaseRequestGrain>(closing.Id).GetAsync())!;
        Assert.Equal((LotView.Expired, 0L), (lot.Status, lot.RemainingGrams));
        Assert.Equal((RequestView.Expired, 0L, 0L), (request.Status, request.RemainingGrams, request.FilledGrams));
        Assert.Equal(1_000L, (await market.Market.GetSummaryAsync()).OpenSupply.Sum(b => b.Grams));
        Assert.Null(await market.Market.WithdrawLotAsync(ageing.Id));

        // The expiry is journalled: a market rebuilt from the journal has not got them back.
        await fixture.DeactivateAllAsync();
        Assert.Equal(1_000L, (await market.Market.GetSummaryAsync()).OpenSupply.Sum(b => b.Grams));
    }

    [Fact]
    public async Task A_deal_is_never_delivered_before_the_market_day()
    {
        var market = new MarketScenario(Grains, "today");
        await market.CreateProductAsync();
        var today = ClusterFixture.Clock.Today();
        await market.Market.PostLotAsync(market.Lot("lot", 10, 25_000) with { HarvestFrom = today.AddDays(-10), HarvestTo = today.AddDays(-5) }, "lot");

        var placed = await market.Market.PlaceRequestAsync(
            market.Request("request", 5, 30_000) with { DeliverFrom = today.AddDays(-7), DeliverBy = today.AddDays(10) }, "request");

        var deal = Assert.Single(placed.Value!.Deals);
        Assert.True(deal.DeliverOn > today, $"delivered on {deal.DeliverOn}, today is {today}");
    }

    [Fact]
    public async Task A_second_activation_cannot_write_a_journal_entry_that_exists()
    {
        var product = $"test-fork-{Guid.NewGuid():N}";
        var storage = FaultyStorage.Inner!;
        var first = new MarketJournal(storage, product);
        var second = new MarketJournal(storage, product);
        var entry = new MarketEntry(1, DateTimeOffset.UnixEpoch, MarketEntryKind.LotWithdrawn, null, null, "lot-a", 0, [], null, null, [], []);

        await first.AppendAsync(entry);

        await Assert.ThrowsAsync<InconsistentStateException>(() => second.AppendAsync(entry with { TargetId = "lot-b" }));
        Assert.Equal("lot-a", (await second.ReadAsync(1))!.TargetId);
    }
}
