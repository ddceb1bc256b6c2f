using CoopMarket.Grains.Notifications;
using CoopMarket.Grains.Paging;
using CoopMarket.Grains.Participants;

namespace CoopMarket.Grains.Tests.Paging;

/// <summary>An inbox and a participant's deal index page through every item once, newest first, across page
/// boundaries, both when created now (pages of <see cref="PagedLog.PageSize"/>) and when stored before logs knew their
/// page size (pages of 100, which they keep sealing).</summary>
[Collection(ClusterCollection.Name)]
public sealed class LogPageSizeTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Grains;

    private static Notice NoticeOf(long entry) =>
        new(Notice.IdFor("rice", entry, $"deal-{entry:D3}", NoticeKind.DealProposed), NoticeKind.DealProposed, ClusterFixture.Clock.GetUtcNow(),
            "rice", $"deal-{entry:D3}", "lot", "request", 1_500, "proposed");

    private static string DealId(long entry) => $"deal-{entry:D3}";

    private static GrainId InboxPageId(string inbox, long number) => GrainId.Create("coopmarket-inbox-page", $"{inbox}/{number}");

    private static GrainId DealPageId(string cooperative, long number) => GrainId.Create("coopmarket-page", $"cooperative/{cooperative}/deals/{number}");

    [Fact]
    public async Task A_new_inbox_seals_pages_of_the_new_size_keeps_a_short_tail_and_reads_every_notice_once()
    {
        var key = $"cooperative/inbox-small-{Guid.NewGuid():N}";
        var inbox = Grains.GetGrain<IInboxGrain>(key);
        for (var entry = 1; entry <= 2 * PagedLog.PageSize + 8; entry++)
        {
            await inbox.DeliverAsync([NoticeOf(entry)]);
            var stored = (await FaultyStorage.ReadAsync<InboxState>("inbox", inbox.GetGrainId()))!.Log;
            Assert.Equal(PagedLog.PageSize, stored.PageSize);
            Assert.InRange(stored.Tail.Count, 0, PagedLog.PageSize - 1);
        }

        var second = (await FaultyStorage.ReadAsync<LogPage<Notice>>("notices", InboxPageId(key, 1)))!;
        Assert.Equal(Enumerable.Range(PagedLog.PageSize + 1, PagedLog.PageSize).Select(e => NoticeOf(e).Id), second.Items.Select(n => n.Id));

        await fixture.DeactivateAllAsync();
        await AssertInboxReadsAsync(inbox, 2 * PagedLog.PageSize + 8, PagedLog.PageSize);
    }

    [Fact]
    public async Task An_inbox_stored_with_pages_of_100_reads_every_notice_once_and_seals_its_next_page_at_100()
    {
        var key = $"cooperative/inbox-first-{Guid.NewGuid():N}";
        var inbox = Grains.GetGrain<IInboxGrain>(key);
        var notices = Enumerable.Range(1, 250).Select(e => NoticeOf(e)).ToList();
        foreach (var number in new[] { 0, 1 })
        {
            await FaultyStorage.Inner!.WriteStateAsync("notices", InboxPageId(key, number),
                new GrainState<LogPage<Notice>>(new LogPage<Notice>(number, notices[(number * 100)..((number + 1) * 100)])));
        }

        // No page size, as a log stored before logs knew theirs (PagedLogCompatibilityTests: such a record reads as this).
        await FaultyStorage.Inner!.WriteStateAsync("inbox", inbox.GetGrainId(), new GrainState<InboxState>(new InboxState
        {
            Log = new PagedLog<Notice> { Count = 250, Tail = notices[200..] },
            DeliveredThrough = new Dictionary<string, long>(StringComparer.Ordinal) { ["rice"] = 250 },
        }));

        await AssertInboxReadsAsync(inbox, 250, 100);
        await inbox.DeliverAsync([.. Enumerable.Range(251, 40).Select(e => NoticeOf(e))]);
        await inbox.DeliverAsync([.. Enumerable.Range(291, 15).Select(e => NoticeOf(e))]);

        var third = (await FaultyStorage.ReadAsync<LogPage<Notice>>("notices", InboxPageId(key, 2)))!;
        Assert.Equal(Enumerable.Range(201, 100).Select(e => NoticeOf(e).Id), third.Items.Select(n => n.Id));
        var stored = (await FaultyStorage.ReadAsync<InboxState>("inbox", inbox.GetGrainId()))!.Log;
        Assert.Equal((100, 305L, 5), (stored.PageSize, stored.Count, stored.Tail.Count));
        await fixture.DeactivateAllAsync();
        await AssertInboxReadsAsync(inbox, 305, 100);
    }

    [Fact]
    public async Task A_new_deal_index_seals_pages_of_the_new_size_and_pages_through_every_deal_once()
    {
        var cooperative = Grains.GetGrain<ICooperativeGrain>($"coop-small-{Guid.NewGuid():N}");
        for (var entry = 1; entry <= 2 * PagedLog.PageSize + 3; entry++)
        {
            await cooperative.IndexAsync("rice", [new IndexedEntry(entry, [], [DealId(entry)])]);
            var stored = (await FaultyStorage.ReadAsync<CooperativeState>("cooperative", cooperative.GetGrainId()))!.Indexes.Deals;
            Assert.Equal(PagedLog.PageSize, stored.PageSize);
            Assert.InRange(stored.Tail.Count, 0, PagedLog.PageSize - 1);
        }

        var first = (await FaultyStorage.ReadAsync<LogPage<string>>("page", DealPageId(cooperative.GetPrimaryKeyString(), 0)))!;
        Assert.Equal(Enumerable.Range(1, PagedLog.PageSize).Select(e => DealId(e)), first.Items);

        await fixture.DeactivateAllAsync();
        await AssertDealsReadAsync(cooperative, 2 * PagedLog.PageSize + 3);
    }

    [Fact]
    public async Task A_deal_index_stored_with_pages_of_100_pages_through_every_deal_once_and_seals_its_next_page_at_100()
    {
        var cooperative = Grains.GetGrain<ICooperativeGrain>($"coop-first-{Guid.NewGuid():N}");
        var key = cooperative.GetPrimaryKeyString();
        var deals = Enumerable.Range(1, 150).Select(e => DealId(e)).ToList();
        await FaultyStorage.Inner!.WriteStateAsync("page", DealPageId(key, 0), new GrainState<LogPage<string>>(new LogPage<string>(0, deals[..100])));
        await FaultyStorage.Inner!.WriteStateAsync("cooperative", cooperative.GetGrainId(), new GrainState<CooperativeState>(new CooperativeState
        {
            Indexes = new MarketIndexes
            {
                Posts = new PagedLog<string>(),
                Deals = new PagedLog<string> { Count = 150, Tail = deals[100..] },
                IndexedThrough = new Dictionary<string, long>(StringComparer.Ordinal) { ["rice"] = 150 },
            },
        }));

        await AssertDealsReadAsync(cooperative, 150);
        for (var entry = 151; entry <= 203; entry++)
        {
            await cooperative.IndexAsync("rice", [new IndexedEntry(entry, [], [DealId(entry)])]);
        }

        var second = (await FaultyStorage.ReadAsync<LogPage<string>>("page", DealPageId(key, 1)))!;
        Assert.Equal(Enumerable.Range(101, 100).Select(e => DealId(e)), second.Items);
        var stored = (await FaultyStorage.ReadAsync<CooperativeState>("cooperative", cooperative.GetGrainId()))!.Indexes.Deals;
        Assert.Equal((100, 203L, 3), (stored.PageSize, stored.Count, stored.Tail.Count));
        await fixture.DeactivateAllAsync();
        await AssertDealsReadAsync(cooperative, 203);
    }

    /// <summary>Pages of 7 (a size dividing neither page size) and a read after a position just short of the end of the
    /// first page of <paramref name="pageSize"/>, so reads cross sealed pages and the tail.</summary>
    private static async Task AssertInboxReadsAsync(IInboxGrain inbox, int count, int pageSize)
    {
        var sequences = new List<long>();
        long? before = null;
        do
        {
            var page = await inbox.GetPageAsync(new PageRequest(7, before));
            Assert.All(page.Items, i => Assert.Equal(NoticeOf(i.Sequence).Id, i.Notice.Id));
            sequences.AddRange(page.Items.Select(i => i.Sequence));
            before = page.Next;
        }
        while (before is not null);

        Assert.Equal(Enumerable.Range(1, count).Reverse().Select(s => (long)s), sequences);
        var across = await inbox.ReadAfterAsync(pageSize - 3, 10);
        Assert.Equal(Enumerable.Range(pageSize - 2, 10).Select(e => NoticeOf(e).Id), across.Select(i => i.Notice.Id));
    }

    private static async Task AssertDealsReadAsync(ICooperativeGrain cooperative, int count)
    {
        var ids = new List<string>();
        long? before = null;
        do
        {
            var page = await cooperative.GetDealIdsAsync(new PageRequest(7, before));
            ids.AddRange(page.Ids);
            before = page.Next;
        }
        while (before is not null);

        Assert.Equal(Enumerable.Range(1, count).Reverse().Select(e => DealId(e)), ids);
    }
}
