using Orleans.Storage;

namespace CoopMarket.Grains.Notifications;

/// <summary>An inbox's notices at a fixed size in its record, like <see cref="Paging.IdIndex"/>: the record holds the
/// count and the newest, unfilled page; each page that fills is written once to a record of its own
/// (<see cref="NoticePages"/>), so a delivery costs the same at the millionth notice as at the first.</summary>
[GenerateSerializer, Immutable]
internal sealed record NoticeLog
{
    public const int PageSize = 100;

    public static NoticeLog Empty { get; } = new();

    [Id(0)] public long Count { get; init; }

    /// <summary>The newest notices, fewer than <see cref="PageSize"/>, oldest first.</summary>
    [Id(1)] public IReadOnlyList<Notice> Tail { get; init; } = [];

    public long TailStart => Count - Tail.Count;

    /// <summary>The log with <paramref name="notices"/> appended, and the pages that filled on the way, which must be
    /// stored before the log that counts them.</summary>
    public (NoticeLog Log, IReadOnlyList<NoticePage> Sealed) Append(IEnumerable<Notice> notices)
    {
        var tail = new List<Notice>(Tail);
        var count = Count;
        List<NoticePage>? sealedPages = null;
        foreach (var notice in notices)
        {
            tail.Add(notice);
            count++;
            if (tail.Count == PageSize)
            {
                (sealedPages ??= []).Add(new NoticePage((count - PageSize) / PageSize, [.. tail]));
                tail.Clear();
            }
        }

        return (new NoticeLog { Count = count, Tail = tail }, sealedPages ?? []);
    }
}

/// <summary>A full page of a log: the notices at positions <c>Number * PageSize</c> onwards (0-based), oldest first.</summary>
[GenerateSerializer, Immutable]
internal sealed record NoticePage([property: Id(0)] long Number, [property: Id(1)] IReadOnlyList<Notice> Notices);

/// <summary>Writes and reads the sealed pages of one inbox's log, each a record of its own in the grain storage.</summary>
internal sealed class NoticePages(IGrainStorage storage, string inbox)
{
    private const string StateName = "notices";

    /// <summary>Stores pages that filled. A page stored but not yet counted by its log (the log's own write failed
    /// after it) is written again when the delivery is retried: nothing reads a page its log does not count.</summary>
    public async Task SealAsync(IReadOnlyList<NoticePage> pages)
    {
        foreach (var page in pages)
        {
            var id = PageId(page.Number);
            try
            {
                await storage.WriteStateAsync(StateName, id, new GrainState<NoticePage>(page));
            }
            catch (InconsistentStateException)
            {
                var existing = new GrainState<NoticePage>();
                await storage.ReadStateAsync(StateName, id, existing);
                await storage.WriteStateAsync(StateName, id, new GrainState<NoticePage>(page) { ETag = existing.ETag });
            }
        }
    }

    /// <summary>The notices at 0-based positions <paramref name="from"/> (inclusive) to <paramref name="to"/>
    /// (exclusive), oldest first, reading each sealed page they touch once.</summary>
    public async Task<IReadOnlyList<(long Position, Notice Notice)>> ReadAsync(NoticeLog log, long from, long to)
    {
        var result = new List<(long, Notice)>((int)Math.Max(0, to - from));
        NoticePage? page = null;
        for (var position = from; position < to; position++)
        {
            if (position >= log.TailStart)
            {
                result.Add((position, log.Tail[(int)(position - log.TailStart)]));
                continue;
            }

            var number = position / NoticeLog.PageSize;
            if (page?.Number != number)
            {
                var state = new GrainState<NoticePage>();
                await storage.ReadStateAsync(StateName, PageId(number), state);
                page = state.RecordExists ? state.State : throw new InvalidOperationException($"Page {number} of inbox {inbox} is missing.");
            }

            result.Add((position, page!.Notices[(int)(position - number * NoticeLog.PageSize)]));
        }

        return result;
    }

    private GrainId PageId(long number) => GrainId.Create("coopmarket-inbox-page", $"{inbox}/{number}");
}
