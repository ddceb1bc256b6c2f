namespace CoopMarket.Grains.Paging;

/// <summary>The sizes of the pages of a <see cref="PagedLog{T}"/>.</summary>
public static class PagedLog
{
    /// <summary>The page size of every log created from now on.</summary>
    /// <remarks>The grain's record is rewritten whole at each append, with its tail (on average half a page), and
    /// every page that fills costs one more write, of a record of its own: at 100 the tail was the largest part of
    /// the storage serialization of a place-request (an inbox's tail of notices, a lot's and a participant's deal
    /// ids, rewritten at every placement). At 16 a write carries about 8 items of tail, and a page seal adds one
    /// write in 16 appends; reading a list of 50 touches four pages instead of one, and lists are read far less
    /// often than they are appended to.</remarks>
    public const int PageSize = 16;

    /// <summary>The page size of every log stored before a log knew its own: such a log keeps it, since its sealed
    /// pages are numbered by it.</summary>
    public const int FirstPageSize = 100;

    /// <summary>An empty log of pages of <see cref="PageSize"/>: where every new log starts.</summary>
    public static PagedLog<T> New<T>() => new() { StoredPageSize = PageSize };
}

/// <summary>An append-only list kept inside a grain's state at a fixed size: the grain stores only the count and the
/// newest, unfilled page; each page that fills is written once, to a record of its own (<see cref="PageStore{T}"/>).
/// Appending therefore costs the same at the millionth item as at the first. A participant's, lot's and request's ids
/// and an inbox's notices are kept this way.</summary>
/// <remarks>Immutable, so a grain builds the next log, writes it, and only then keeps it. Its fields are those the
/// id index and the notice log had before they shared this type, so their stored states read as they are. A new log
/// starts from <see cref="PagedLog.New{T}"/>; each log keeps the page size it was created with for good.</remarks>
[GenerateSerializer, Immutable]
public sealed record PagedLog<T>
{
    /// <summary>How many items the log holds, sealed pages and tail together.</summary>
    [Id(0)] public long Count { get; init; }

    /// <summary>The newest items, fewer than <see cref="PageSize"/>, oldest first.</summary>
    [Id(1)] public IReadOnlyList<T> Tail { get; init; } = [];

    /// <summary>The page size the log was created with; 0 in a log stored before this field existed, whose pages
    /// are of <see cref="PagedLog.FirstPageSize"/>.</summary>
    /// <remarks>0, not the size, means "stored before": a record without the field reads as the default, whether
    /// the serializer runs the constructor or not, so the default must name the old size.</remarks>
    [Id(2)] public int StoredPageSize { get; init; }

    /// <summary>How many items each sealed page of this log holds: page <c>n</c> holds positions
    /// <c>n * PageSize</c> onwards, so a log can never change it once a page is sealed.</summary>
    public int PageSize => StoredPageSize == 0 ? PagedLog.FirstPageSize : StoredPageSize;

    /// <summary>The position (0-based) of the first item of <see cref="Tail"/>.</summary>
    public long TailStart => Count - Tail.Count;

    /// <summary>The log with <paramref name="items"/> appended, and the pages that filled on the way, which must be
    /// stored before the log that counts them.</summary>
    public (PagedLog<T> Log, IReadOnlyList<LogPage<T>> Sealed) Append(IEnumerable<T> items)
    {
        var size = PageSize;
        var tail = new List<T>(Tail);
        var count = Count;
        List<LogPage<T>>? sealedPages = null;
        foreach (var item in items)
        {
            tail.Add(item);
            count++;
            if (tail.Count == size)
            {
                (sealedPages ??= []).Add(new LogPage<T>((count - size) / size, [.. tail]));
                tail.Clear();
            }
        }

        return (this with { Count = count, Tail = tail }, sealedPages ?? []);
    }
}

/// <summary>A full page of a log: the items at positions <c>Number * PageSize</c> onwards (0-based), oldest first,
/// <c>PageSize</c> being its log's own.</summary>
[GenerateSerializer, Immutable]
public sealed record LogPage<T>([property: Id(0)] long Number, [property: Id(1)] IReadOnlyList<T> Items);
