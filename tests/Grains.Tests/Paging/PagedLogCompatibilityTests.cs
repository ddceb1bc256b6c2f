using CoopMarket.Grains.Notifications;
using CoopMarket.Grains.Paging;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace CoopMarket.Grains.Tests.Paging;

/// <summary>The id indexes of participants, lots and requests and the notice logs of inboxes, with their sealed pages,
/// as stored before they shared <see cref="PagedLog{T}"/> and <see cref="LogPage{T}"/>, still read, item for item,
/// with the page size of 100 they were sealed at.</summary>
public sealed class PagedLogCompatibilityTests
{
    private static readonly Serializer Serializer = new ServiceCollection()
        .AddSerializer(s => s.AddAssembly(typeof(PagedLog<>).Assembly).AddAssembly(typeof(Notice).Assembly)
            .AddAssembly(typeof(PagedLogCompatibilityTests).Assembly))
        .BuildServiceProvider()
        .GetRequiredService<Serializer>();

    private static readonly Notice Confirmed = new("p:7:deal-1:DealConfirmed", NoticeKind.DealConfirmed, new DateTimeOffset(2026, 12, 1, 3, 0, 0, TimeSpan.Zero),
        "p", "deal-1", "lot-1", "request-1", 400_000, "confirmed");

    // Written as its own type, so no type name goes with it: exactly the fields a stored record of the earlier shape holds.
    private static TRead Reread<TRead, TWritten>(TWritten written) => Serializer.Deserialize<TRead>(Serializer.SerializeToArray(written))!;

    [Fact]
    public void An_id_index_and_its_sealed_page_read_as_a_paged_log_of_ids_and_its_page()
    {
        var index = Reread<PagedLog<string>, IdIndexAsStored>(new IdIndexAsStored { Count = 102, Tail = new List<string> { "id-100", "id-101" } });
        var page = Reread<LogPage<string>, SealedPageAsStored>(new SealedPageAsStored(0, [.. Enumerable.Range(0, 100).Select(i => $"id-{i}")]));

        Assert.Equal((102L, 100L), (index.Count, index.TailStart));
        Assert.Equal(["id-100", "id-101"], index.Tail);
        Assert.Equal(0, page.Number);
        Assert.Equal(Enumerable.Range(0, 100).Select(i => $"id-{i}"), page.Items);
    }

    [Fact]
    public void A_notice_log_and_its_sealed_page_read_as_a_paged_log_of_notices_and_its_page()
    {
        var log = Reread<PagedLog<Notice>, NoticeLogAsStored>(new NoticeLogAsStored { Count = 201, Tail = new List<Notice> { Confirmed } });
        var page = Reread<LogPage<Notice>, NoticePageAsStored>(new NoticePageAsStored(1, [Confirmed, Confirmed with { Id = "p:8:deal-2:DealConfirmed" }]));

        Assert.Equal(201, log.Count);
        Assert.Equal(Confirmed, Assert.Single(log.Tail));
        Assert.Equal(1, page.Number);
        Assert.Equal(["p:7:deal-1:DealConfirmed", "p:8:deal-2:DealConfirmed"], page.Items.Select(n => n.Id));
    }

    [Fact]
    public void A_log_stored_before_logs_knew_their_page_size_keeps_pages_of_100()
    {
        var ids = Reread<PagedLog<string>, IdIndexAsStored>(new IdIndexAsStored { Count = 102, Tail = new List<string> { "id-100", "id-101" } });
        var notices = Reread<PagedLog<Notice>, NoticeLogAsStored>(new NoticeLogAsStored { Count = 201, Tail = new List<Notice> { Confirmed } });

        Assert.Equal((100, 100), (ids.PageSize, notices.PageSize));
        Assert.Equal(1, ids.Append(Enumerable.Range(102, 98).Select(i => $"id-{i}")).Sealed.Single().Number);
    }

    [Fact]
    public void A_new_log_stored_and_read_back_keeps_its_own_page_size()
    {
        var (log, _) = PagedLog.New<Notice>().Append([Confirmed]);

        var reread = Serializer.Deserialize<PagedLog<Notice>>(Serializer.SerializeToArray(log))!;

        Assert.Equal((PagedLog.PageSize, 1L, Confirmed), (reread.PageSize, reread.Count, Assert.Single(reread.Tail)));
    }

    /// <summary>The id index as stored (as of f64934d), field for field.</summary>
    [GenerateSerializer, Immutable]
    internal sealed record IdIndexAsStored
    {
        [Id(0)] public long Count { get; init; }

        [Id(1)] public IReadOnlyList<string> Tail { get; init; } = [];
    }

    /// <summary>A sealed page of an id index as stored (as of f64934d).</summary>
    [GenerateSerializer, Immutable]
    internal sealed record SealedPageAsStored([property: Id(0)] long Number, [property: Id(1)] IReadOnlyList<string> Ids);

    /// <summary>An inbox's notice log as stored (as of f64934d).</summary>
    [GenerateSerializer, Immutable]
    internal sealed record NoticeLogAsStored
    {
        [Id(0)] public long Count { get; init; }

        [Id(1)] public IReadOnlyList<Notice> Tail { get; init; } = [];
    }

    /// <summary>A sealed page of a notice log as stored (as of f64934d).</summary>
    [GenerateSerializer, Immutable]
    internal sealed record NoticePageAsStored([property: Id(0)] long Number, [property: Id(1)] IReadOnlyList<Notice> Notices);
}
