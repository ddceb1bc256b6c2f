using CoopMarket.Grains.Market;
using CoopMarket.Grains.Notifications;
using CoopMarket.Grains.Paging;
using CoopMarket.Grains.Participants;

namespace CoopMarket.Grains.Tests.Market;

/// <summary>Attacks on the batched projection: a batch a record gets again after its reply was lost mixes entries it
/// has with entries it lacks, and a batch that seals a page may fail between the page and the record. Each record must
/// end, read back from storage after its activation is gone, with every entry once and in journal order.</summary>
[Collection(ClusterCollection.Name)]
public sealed class BatchedProjectionAttackTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Grains;

    [Fact]
    public async Task A_lot_batch_carried_again_after_a_lost_reply_counts_its_deals_shortfall_and_returns_once()
    {
        var market = new MarketScenario(Grains, "attack-lot");
        var terms = market.Lot("lot", 100, 25_000);
        var record = Grains.GetGrain<ISupplyLotGrain>(terms.Id);
        var shortfall = new LotShortfall(terms.Id, 60_000, "short-1");
        List<LotChange> first =
        [
            new(terms.Id, 1, 100_000, LotView.Open, [], terms),
            new(terms.Id, 2, 90_000, LotView.Open, ["deal-a"], terms),
            new(terms.Id, 3, 50_000, LotView.Open, [], terms, ShortfallGrams: 40_000, Shortfall: shortfall),
        ];

        using (FaultyStorage.Arm($"{terms.Id}/lot", FaultyStorage.Kind.LoseReply))
        {
            await Assert.ThrowsAnyAsync<Exception>(() => record.ApplyAsync(first));
        }

        // The next drain carries the same entries again, with two more: a return of grams and a new deal.
        await record.ApplyAsync([.. first,
            new(terms.Id, 4, 60_000, LotView.Open, [], terms, ReturnedGrams: 10_000),
            new(terms.Id, 5, 55_000, LotView.Open, ["deal-b"], terms)]);

        await fixture.DeactivateAsync(record);
        var view = (await record.GetAsync())!;
        Assert.Equal((55_000L, 2L, 5L, 40_000L, 10_000L), (view.RemainingGrams, view.DealCount, view.Version, view.ShortfallGrams, view.ReturnedGrams));
        Assert.Equal(["deal-b", "deal-a"], (await record.GetDealIdsAsync(new PageRequest(500, null))).Ids);
        Assert.Equal(shortfall, await record.FindShortfallAsync("short-1"));
    }

    [Fact]
    public async Task A_request_batch_that_seals_a_page_counts_each_deal_once_after_a_lost_reply_and_a_failed_record_write()
    {
        var market = new MarketScenario(Grains, "attack-request");
        var terms = market.Request("request", 200, 30_000);
        var record = Grains.GetGrain<IPurchaseRequestGrain>(terms.Id);
        var changes = Enumerable.Range(1, 4).Select(entry => new RequestChange(terms.Id, entry, entry * 40_000L, 200_000 - entry * 40_000L,
            RequestView.Open, [.. Enumerable.Range(0, 40).Select(i => $"deal-{entry}-{i}")], terms)).ToList();

        using (FaultyStorage.Arm($"{terms.Id}/request", FaultyStorage.Kind.LoseReply))
        {
            await Assert.ThrowsAnyAsync<Exception>(() => record.ApplyAsync(changes[..2]));
        }

        // Entries 3 and 4 fill the first page: it lands, the record's write does not; then all four come again.
        using (FaultyStorage.Arm($"{terms.Id}/request", FaultyStorage.Kind.Fail))
        {
            await Assert.ThrowsAnyAsync<Exception>(() => record.ApplyAsync(changes[..3]));
        }

        await record.ApplyAsync(changes);
        await fixture.DeactivateAsync(record);
        var view = (await record.GetAsync())!;
        Assert.Equal((160_000L, 160L, 4L), (view.FilledGrams, view.DealCount, view.Version));
        Assert.Equal(changes.SelectMany(c => c.NewDealIds).Reverse(), await AllIdsAsync(record.GetDealIdsAsync));
    }

    [Fact]
    public async Task An_index_batch_that_seals_a_page_holds_each_id_once_after_a_lost_reply_and_failed_page_and_record_writes()
    {
        var cooperativeId = $"attack-index-{Guid.NewGuid():N}";
        var cooperative = Grains.GetGrain<ICooperativeGrain>(cooperativeId);
        const string product = "attack-index";
        var batch = Enumerable.Range(1, 8).Select(Entry).ToList();
        // The first page of deal ids that entries 4 and 5 fill (entries 1 to 3 hold 90 ids).
        var page = $"cooperative/{cooperativeId}/deals/{90 / PagedLog.PageSize}/page";
        var owner = $"{cooperativeId}/cooperative";

        // Entries 1 to 3 (90 ids) land unheard; the batch of 1 to 8 (240 ids) then crosses several page boundaries.
        using (FaultyStorage.Arm(owner, FaultyStorage.Kind.LoseReply))
        {
            await Assert.ThrowsAnyAsync<Exception>(() => cooperative.IndexAsync(product, batch[..3]));
        }

        // The batch's first new page fails; then it lands but the record's write fails; then the reverse order of luck.
        using (FaultyStorage.Arm(page, FaultyStorage.Kind.Fail))
        {
            await Assert.ThrowsAnyAsync<Exception>(() => cooperative.IndexAsync(product, batch[..5]));
        }

        using (FaultyStorage.Arm(owner, FaultyStorage.Kind.Fail))
        {
            await Assert.ThrowsAnyAsync<Exception>(() => cooperative.IndexAsync(product, batch[..6]));
        }

        using (FaultyStorage.Arm(owner, FaultyStorage.Kind.LoseReply))
        {
            await Assert.ThrowsAnyAsync<Exception>(() => cooperative.IndexAsync(product, batch[..7]));
        }

        await cooperative.IndexAsync(product, batch);
        await fixture.DeactivateAsync(cooperative);
        Assert.Equal(batch.SelectMany(e => e.DealIds).Reverse(), await AllIdsAsync(cooperative.GetDealIdsAsync));
        Assert.Equal(batch.Select(e => e.PostIds[0]).Reverse(), await AllIdsAsync(cooperative.GetLotIdsAsync));

        static IndexedEntry Entry(int number) =>
            new(number, [$"lot-{number}"], [.. Enumerable.Range(0, 30).Select(i => $"deal-{number}-{i}")]);
    }

    [Fact]
    public async Task An_inbox_batch_across_a_page_boundary_delivers_each_notice_once_after_a_lost_reply()
    {
        var inbox = Grains.GetGrain<IInboxGrain>(IInboxGrain.CooperativeKey($"attack-inbox-{Guid.NewGuid():N}"));
        const string product = "attack-inbox";
        var notices = Enumerable.Range(1, 9).SelectMany(entry => Enumerable.Range(0, 20).Select(i =>
            new Notice(Notice.IdFor(product, entry, $"deal-{entry}-{i}", NoticeKind.DealProposed), NoticeKind.DealProposed,
                DateTimeOffset.UnixEpoch, product, $"deal-{entry}-{i}", "lot", "request", 1_000, Deal.Proposed))).ToList();

        // Entries 1 to 4 (80 notices) land unheard; entries 1 to 9 (180) then cross more page ends.
        using (FaultyStorage.Arm(inbox.GetGrainId().ToString(), FaultyStorage.Kind.LoseReply))
        {
            await Assert.ThrowsAnyAsync<Exception>(() => inbox.DeliverAsync(notices[..80]));
        }

        await inbox.DeliverAsync(notices);
        await inbox.DeliverAsync(notices[100..]);
        await fixture.DeactivateAsync(inbox);
        Assert.Equal(notices.Select(n => n.Id), (await inbox.ReadAfterAsync(0, 500)).Select(n => n.Notice.Id));
        Assert.Equal(notices.Count, (await inbox.GetSummaryAsync()).Count);
    }

    [Fact]
    public async Task Allowance_holds_of_one_request_in_several_entries_of_a_batch_end_at_the_last_after_a_lost_reply()
    {
        var scope = $"attack-allowance-{Guid.NewGuid():N}";
        var allowance = Grains.GetGrain<IBuyerAllowanceGrain>(scope);
        Assert.True(await allowance.ReserveAsync("r1", "p", 5_000, 1_000_000));
        Assert.True(await allowance.ReserveAsync("r2", "p", 5_000, 1_000_000));
        Assert.True(await allowance.ReserveAsync("r3", "p", 5_000, 1_000_000));

        // r1 placed whole, partly filled then cancelled (its deals keep 2 kg), r2 confirmed, r3 placed and cancelled unfilled.
        List<RequestHold> first = [new("r1", 5_000), new("r2", 5_000), new("r1", 3_000), new("r3", 5_000), new("r3", 0)];
        using (FaultyStorage.Arm(allowance.GetGrainId().ToString(), FaultyStorage.Kind.LoseReply))
        {
            await Assert.ThrowsAnyAsync<Exception>(() => allowance.ReleaseAsync(first));
        }

        await allowance.ReleaseAsync([.. first, new("r1", 2_000), new("r2", 4_000), new("r2", 4_000)]);
        await fixture.DeactivateAsync(allowance);
        var stored = (await FaultyStorage.ReadAsync<BuyerAllowanceState>("allowance", allowance.GetGrainId()))!;
        Assert.Equal([("r1", 2_000L, true), ("r2", 4_000L, true)], stored.Reserved.Select(r => (r.Key, r.Value.Grams, r.Value.Confirmed)).Order());
        Assert.Equal(6_000, await allowance.GetOpenGramsAsync());
    }

    [Fact]
    public async Task A_deal_gets_its_record_and_steps_once_whether_they_come_together_again_after_a_lost_reply_or_later()
    {
        var market = await MarketScenario.CreateAsync(Grains, "attack-deal");
        await market.PostedLotAsync("lot", 100, 25_000);
        var made = await market.OneDealAsync("request", "buyer");
        var deal = made with { Id = $"{made.Id}-attack" };
        var record = Grains.GetGrain<IDealGrain>(deal.Id);
        var confirm = Step(100, Deal.Confirmed, 0);
        var shorted = Step(101, Deal.Confirmed, 4_000) with { QuantityGrams = deal.QuantityGrams - 4_000 };
        var shipped = Step(102, Deal.Shipped, 0) with { QuantityGrams = deal.QuantityGrams - 4_000 };

        // The record and its first steps in one batch, unheard; again with one more; the last step in a later batch.
        using (FaultyStorage.Arm($"{deal.Id}/deal", FaultyStorage.Kind.LoseReply))
        {
            await Assert.ThrowsAnyAsync<Exception>(() => record.RecordAsync(deal, [confirm, shorted]));
        }

        await record.RecordAsync(deal, [confirm, shorted]);
        await record.RecordAsync(null, [shorted, shipped]);

        // A deal whose record never landed: its record and steps wait together, and land together.
        var lost = deal with { Id = $"{made.Id}-lost" };
        var lostRecord = Grains.GetGrain<IDealGrain>(lost.Id);
        using (FaultyStorage.Arm($"{lost.Id}/deal", FaultyStorage.Kind.Fail))
        {
            await Assert.ThrowsAnyAsync<Exception>(() => lostRecord.RecordAsync(lost, [confirm with { DealId = lost.Id }]));
        }

        await lostRecord.RecordAsync(lost, [confirm with { DealId = lost.Id }, shorted with { DealId = lost.Id }]);

        await fixture.DeactivateAsync(record, lostRecord);
        var stored = (await FaultyStorage.ReadAsync<DealState>("deal", record.GetGrainId()))!;
        Assert.Equal((Deal.Shipped, deal.QuantityGrams - 4_000, 4_000L, 102L), (stored.Deal!.Status, stored.Deal.QuantityGrams, stored.Deal.ShortGrams, stored.Version));
        Assert.Equal([100L, 101, 102], stored.Steps.Select(s => s.Version));
        var lostStored = (await FaultyStorage.ReadAsync<DealState>("deal", lostRecord.GetGrainId()))!;
        Assert.Equal((4_000L, 101L, 2), (lostStored.Deal!.ShortGrams, lostStored.Version, lostStored.Steps.Count));

        DealChange Step(long version, string status, long shortGrams) => new(deal.Id, version, status, DateTimeOffset.UnixEpoch,
            deal.LotId, deal.RequestId, deal.CooperativeId, deal.BuyerId, deal.QuantityGrams, DealSide.Cooperative, null, ShortGrams: shortGrams);
    }

    [Fact]
    public async Task More_than_a_calls_worth_of_entries_for_one_lot_reach_it_once_and_in_order_after_the_market_reloads()
    {
        var market = await MarketScenario.CreateAsync(Grains, "attack-reload");
        var lot = await market.PostedLotAsync("lot", 1_000, 25_000);
        var record = Grains.GetGrain<ISupplyLotGrain>(lot.Id);
        const int placements = 70;

        // Every drain fails the lot's write, so its updates pile up; the market goes with them unsent.
        using (FaultyStorage.Arm($"{lot.Id}/lot", FaultyStorage.Kind.Fail, times: 100_000))
        {
            for (var i = 0; i < placements; i++)
            {
                var request = market.Request($"request{i}", 1, 30_000, buyer: $"buyer{i}");
                Assert.Equal(CommandOutcome.Done, (await market.Market.PlaceRequestAsync(request, request.Id)).Outcome);
            }

            await market.DeactivateAsync();
        }

        var before = FaultyStorage.LandedWrites($"{lot.Id}/lot");
        await market.Market.GetSummaryAsync();

        // Loading carried them again, in two calls (64, then 6), the lot's record written once per call.
        Assert.Equal(2, FaultyStorage.LandedWrites($"{lot.Id}/lot") - before);
        await fixture.DeactivateAsync(record);
        var view = (await record.GetAsync())!;
        Assert.Equal((1_000_000L - placements * 1_000, (long)placements), (view.RemainingGrams, view.DealCount));
        Assert.Equal(Enumerable.Range(0, placements).Select(i => $"deal-{market.Product}-{i + 2}-1").Reverse(),
            (await record.GetDealIdsAsync(new PageRequest(500, null))).Ids);
        await QuantityAudit.AssertLotsBalancedAsync(Grains, lot.Id);
    }

    [Fact]
    public async Task Drains_that_overlap_a_record_call_past_its_patience_never_let_a_later_batch_undo_or_repeat_an_earlier_one()
    {
        var market = await MarketScenario.CreateAsync(Grains, "attack-overlap");
        var lot = await market.PostedLotAsync("lot", 100, 25_000);
        var record = Grains.GetGrain<ISupplyLotGrain>(lot.Id);
        var requests = Enumerable.Range(0, 6).Select(i => market.Request($"request{i}", 1, 30_000, buyer: $"buyer{i}")).ToList();

        // The first placement's lot call waits in storage past the projection's patience: the drain gives up on it while it
        // is still on its way, and the next placements' drains send the lot the same entry again with theirs, behind it.
        using (var held = FaultyStorage.Hold($"{lot.Id}/lot"))
        {
            var first = market.Market.PlaceRequestAsync(requests[0], requests[0].Id);
            await held.Reached;
            var rest = requests.Skip(1).Select(r => market.Market.PlaceRequestAsync(r, r.Id)).ToList();
            await first;
            held.Release();
            await Task.WhenAll(rest);
        }

        await market.Market.PlaceRequestAsync(market.Request("last", 1, 30_000, buyer: "last"), "last");
        await fixture.DeactivateAsync(record);
        var view = (await record.GetAsync())!;
        Assert.Equal((93_000L, 7L), (view.RemainingGrams, view.DealCount));
        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"deal-{market.Product}-{i + 2}-1").Reverse(),
            (await record.GetDealIdsAsync(new PageRequest(500, null))).Ids);
        await QuantityAudit.AssertLotsBalancedAsync(Grains, lot.Id);
    }

    private static async Task<List<string>> AllIdsAsync(Func<PageRequest, Task<IdPage>> read)
    {
        var ids = new List<string>();
        for (long? cursor = null; ;)
        {
            var page = await read(new PageRequest(50, cursor));
            ids.AddRange(page.Ids);
            if (page.Next is not { } next)
            {
                return ids;
            }

            cursor = next;
        }
    }
}
