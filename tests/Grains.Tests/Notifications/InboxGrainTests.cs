using CoopMarket.Grains.Notifications;
using CoopMarket.Grains.Paging;
using CoopMarket.Grains.Tests.Market;

namespace CoopMarket.Grains.Tests.Notifications;

[Collection(ClusterCollection.Name)]
public sealed class InboxGrainTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Grains;

    private static Notice NoticeOf(string product, long entry, string deal, NoticeKind kind = NoticeKind.DealProposed) =>
        new(Notice.IdFor(product, entry, deal, kind), kind, ClusterFixture.Clock.GetUtcNow(), product, deal, "lot", "request", 1_500, "proposed");

    private static string NewInbox() => $"cooperative/inbox-{Guid.NewGuid():N}";

    [Fact]
    public async Task A_deal_the_market_makes_reaches_both_sides_inboxes_once_even_when_its_entry_is_carried_again()
    {
        var market = new MarketScenario(Grains, "inbox");
        await market.CreateProductAsync();
        var lot = market.Lot("lot", 3_000, 25_000);
        await market.Market.PostLotAsync(lot, "h1");
        var deal = Assert.Single((await market.Market.PlaceRequestAsync(market.Request("request", 5_000, 30_000), "h2")).Value!.Deals);

        foreach (var inbox in new[] { $"cooperative/{deal.CooperativeId}", $"buyer/{deal.BuyerId}" })
        {
            var item = Assert.Single((await Grains.GetGrain<IInboxGrain>(inbox).GetPageAsync(PageRequest.First)).Items);
            Assert.Equal((1L, NoticeKind.DealProposed, deal.Id, lot.Id, 3_000_000L, "proposed", false),
                (item.Sequence, item.Notice.Kind, item.Notice.DealId, item.Notice.LotId, item.Notice.QuantityGrams, item.Notice.Status, item.Read));
            Assert.Equal(Notice.IdFor(market.Product, 2, deal.Id, NoticeKind.DealProposed), item.Notice.Id);
        }
    }

    [Fact]
    public async Task Delivering_the_same_notices_again_keeps_one_copy_and_an_entry_already_passed_is_skipped()
    {
        var inbox = Grains.GetGrain<IInboxGrain>(NewInbox());
        Notice[] first = [NoticeOf("rice", 5, "d1"), NoticeOf("rice", 5, "d2")];
        await inbox.DeliverAsync(first);
        await inbox.DeliverAsync(first);
        await inbox.DeliverAsync([NoticeOf("rice", 4, "d0")]);
        await inbox.DeliverAsync([NoticeOf("tea", 5, "d3"), NoticeOf("rice", 6, "d4")]);
        await fixture.DeactivateAllAsync();
        await inbox.DeliverAsync([NoticeOf("rice", 6, "d4")]);

        var page = await inbox.GetPageAsync(PageRequest.First);
        Assert.Equal(["d4", "d3", "d2", "d1"], page.Items.Select(i => i.Notice.DealId));
        Assert.Equal([4L, 3, 2, 1], page.Items.Select(i => i.Sequence));
        Assert.Equal(new InboxSummary(4, 0), await inbox.GetSummaryAsync());
    }

    [Fact]
    public async Task An_inbox_pages_newest_first_across_sealed_pages_and_reads_them_back_from_storage()
    {
        var inbox = Grains.GetGrain<IInboxGrain>(NewInbox());
        for (var entry = 1; entry <= 250; entry++)
        {
            await inbox.DeliverAsync([NoticeOf("rice", entry, $"d{entry}")]);
        }

        await fixture.DeactivateAllAsync();
        var seen = new List<long>();
        long? before = null;
        do
        {
            var page = await inbox.GetPageAsync(new PageRequest(70, before));
            seen.AddRange(page.Items.Select(i => i.Sequence));
            Assert.All(page.Items, i => Assert.Equal($"d{i.Sequence}", i.Notice.DealId));
            before = page.Next;
        }
        while (before is not null);

        Assert.Equal(Enumerable.Range(1, 250).Reverse().Select(i => (long)i), seen);
        Assert.Equal([99L, 100, 101, 102], (await inbox.ReadAfterAsync(98, 4)).Select(i => i.Sequence));
        Assert.Empty(await inbox.ReadAfterAsync(250, 10));
    }

    [Fact]
    public async Task Marking_read_moves_only_forward_and_only_to_a_notice_the_inbox_holds()
    {
        var inbox = Grains.GetGrain<IInboxGrain>(NewInbox());
        await inbox.DeliverAsync([NoticeOf("rice", 1, "d1"), NoticeOf("rice", 1, "d2"), NoticeOf("rice", 1, "d3")]);

        Assert.Equal(new InboxSummary(3, 2), await inbox.MarkReadAsync(2));
        Assert.Equal(new InboxSummary(3, 2), await inbox.MarkReadAsync(1));
        Assert.Null(await inbox.MarkReadAsync(4));
        Assert.Null(await inbox.MarkReadAsync(0));
        Assert.Equal(1, (await inbox.GetSummaryAsync()).Unread);
        Assert.Equal([false, true, true], (await inbox.GetPageAsync(PageRequest.First)).Items.Select(i => i.Read));
    }

    [Fact]
    public async Task A_delivery_whose_write_fails_leaves_the_inbox_as_it_was_and_its_retry_lands_once()
    {
        var key = NewInbox();
        var inbox = Grains.GetGrain<IInboxGrain>(key);
        await inbox.DeliverAsync([NoticeOf("rice", 1, "d1")]);

        using (FaultyStorage.Arm(key))
        {
            await Assert.ThrowsAnyAsync<Exception>(() => inbox.DeliverAsync([NoticeOf("rice", 2, "d2")]));
        }

        Assert.Equal(["d1"], (await inbox.GetPageAsync(PageRequest.First)).Items.Select(i => i.Notice.DealId));
        Assert.Equal(new InboxSummary(1, 0), await inbox.GetSummaryAsync());

        await inbox.DeliverAsync([NoticeOf("rice", 2, "d2")]);
        await inbox.DeliverAsync([NoticeOf("rice", 2, "d2")]);
        Assert.Equal(["d2", "d1"], (await inbox.GetPageAsync(PageRequest.First)).Items.Select(i => i.Notice.DealId));
    }

    [Fact]
    public async Task A_live_reader_is_woken_with_the_inbox_count_when_notices_land()
    {
        var inbox = Grains.GetGrain<IInboxGrain>(NewInbox());
        var reader = new Reader();
        var reference = Grains.CreateObjectReference<IInboxObserver>(reader);
        try
        {
            await inbox.WatchAsync(reference);
            await inbox.DeliverAsync([NoticeOf("rice", 1, "d1"), NoticeOf("rice", 1, "d2")]);
            Assert.Equal(2, await reader.Woken.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        }
        finally
        {
            Grains.DeleteObjectReference<IInboxObserver>(reference);
        }
    }

    private sealed class Reader : IInboxObserver
    {
        public TaskCompletionSource<long> Woken { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task DeliveredAsync(long count)
        {
            Woken.TrySetResult(count);
            return Task.CompletedTask;
        }
    }
}
