using CoopMarket.Grains.Paging;

namespace CoopMarket.Grains.Tests.Paging;

/// <summary>A log seals its pages at its own size: <see cref="PagedLog.PageSize"/> for a new log, 100 for one stored
/// before logs knew their size, so the record rewritten at every append holds at most one page's worth of tail.</summary>
public sealed class PagedLogTests
{
    [Fact]
    public void A_new_log_seals_pages_of_the_new_size_and_never_keeps_a_full_page_in_its_tail()
    {
        var log = PagedLog.New<int>();
        var sealedPages = new List<LogPage<int>>();
        for (var item = 0; item < 3 * PagedLog.PageSize + 5; item++)
        {
            (log, var filled) = log.Append([item]);
            sealedPages.AddRange(filled);
            Assert.InRange(log.Tail.Count, 0, PagedLog.PageSize - 1);
        }

        Assert.Equal((PagedLog.PageSize, 3 * PagedLog.PageSize + 5L, 5), (log.PageSize, log.Count, log.Tail.Count));
        Assert.Equal([0L, 1, 2], sealedPages.Select(p => p.Number));
        Assert.All(sealedPages, p => Assert.Equal(Enumerable.Range((int)p.Number * PagedLog.PageSize, PagedLog.PageSize), p.Items));
        Assert.True(PagedLog.PageSize < PagedLog.FirstPageSize);
    }

    [Fact]
    public void A_log_of_the_first_size_appends_and_seals_its_next_page_at_100()
    {
        var stored = new PagedLog<int> { Count = 195, Tail = [.. Enumerable.Range(100, 95)] };

        var (log, sealedPages) = stored.Append(Enumerable.Range(195, 10));

        var page = Assert.Single(sealedPages);
        Assert.Equal(1L, page.Number);
        Assert.Equal(Enumerable.Range(100, 100), page.Items);
        Assert.Equal((PagedLog.FirstPageSize, 205L), (log.PageSize, log.Count));
        Assert.Equal(Enumerable.Range(200, 5), log.Tail);
    }
}
