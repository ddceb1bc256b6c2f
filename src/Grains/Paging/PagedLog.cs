namespace CoopMarket.Grains.Paging;

/// <summary>The size of every page of a <see cref="PagedLog{T}"/>.</summary>
public static class PagedLog
{
    public const int PageSize = 100;
}

/// <summary>An append-only list kept inside a grain's state at a fixed size: the grain stores only the count and the
/// newest, unfilled page; each page that fills is written once, to a record of its own (<see cref="PageStore{T}"/>).
/// Appending therefore costs the same at the millionth item as at the first. A participant's, lot's and request's ids
/// and an inbox's notices are kept this way.</summary>
/// <remarks>Immutable, so a grain builds the next log, writes it, and only then keeps it. Its fields are those the
/// id index and the notice log had before they shared this type, so their stored states read as they are.</remarks>
[GenerateSerializer, Immutable]
public sealed record PagedLog<T>
{
    /// <summary>How many items the log holds, sealed pages and tail together.</summary>
    [Id(0)] public long Count { get; init; }

    /// <summary>The newest items, fewer than <see cref="PagedLog.PageSize"/>, oldest first.</summary>
    [Id(1)] public IReadOnlyList<T> Tail { get; init; } = [];

    /// <summary>The position (0-based) of the first item of <see cref="Tail"/>.</summary>
    public long TailStart => Count - Tail.Count;

    /// <summary>The log with <paramref name="items"/> appended, and the pages that filled on the way, which must be
    /// stored before the log that counts them.</summary>
    public (PagedLog<T> Log, IReadOnlyList<LogPage<T>> Sealed) Append(IEnumerable<T> items)
    {
        var tail = new List<T>(Tail);
        var count = Count;
        List<LogPage<T>>? sealedPages = null;
        foreach (var item in items)
        {
            tail.Add(item);
            count++;
            if (tail.Count == PagedLog.PageSize)
            {
                (sealedPages ??= []).Add(new LogPage<T>((count - PagedLog.PageSize) / PagedLog.PageSize, [.. tail]));
                tail.Clear();
            }
        }

        return (new PagedLog<T> { Count = count, Tail = tail }, sealedPages ?? []);
    }
}

/// <summary>A full page of a log: the items at positions <c>Number * PageSize</c> onwards (0-based), oldest first.</summary>
[GenerateSerializer, Immutable]
public sealed record LogPage<T>([property: Id(0)] long Number, [property: Id(1)] IReadOnlyList<T> Items);
