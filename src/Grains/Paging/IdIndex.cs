namespace CoopMarket.Grains.Paging;

/// <summary>An append-only list of ids kept inside a grain's state at a fixed size: the grain stores only the count
/// and the newest, unfilled page; each page that fills is written once, to a record of its own
/// (<see cref="IdPageStore"/>). Appending therefore costs the same at the millionth id as at the first.</summary>
/// <remarks>Immutable, so a grain builds the next index, writes it, and only then keeps it.</remarks>
[GenerateSerializer, Immutable]
public sealed record IdIndex
{
    public const int PageSize = 100;

    public static IdIndex Empty { get; } = new();

    /// <summary>How many ids the index holds, sealed pages and tail together.</summary>
    [Id(0)] public long Count { get; init; }

    /// <summary>The newest ids, fewer than <see cref="PageSize"/>, oldest first.</summary>
    [Id(1)] public IReadOnlyList<string> Tail { get; init; } = [];

    public long SealedPages => (Count - Tail.Count) / PageSize;

    /// <summary>The index with <paramref name="ids"/> appended, and the pages that filled on the way, which must be
    /// stored before the index that counts them.</summary>
    public (IdIndex Index, IReadOnlyList<SealedPage> Sealed) Append(IEnumerable<string> ids)
    {
        var tail = new List<string>(Tail);
        var count = Count;
        List<SealedPage>? sealedPages = null;
        foreach (var id in ids)
        {
            tail.Add(id);
            count++;
            if (tail.Count == PageSize)
            {
                (sealedPages ??= []).Add(new SealedPage((count - PageSize) / PageSize, [.. tail]));
                tail.Clear();
            }
        }

        return (new IdIndex { Count = count, Tail = tail }, sealedPages ?? []);
    }
}

/// <summary>A full page of an index: ids at positions <c>Number * PageSize</c> onwards, oldest first.</summary>
[GenerateSerializer, Immutable]
public sealed record SealedPage([property: Id(0)] long Number, [property: Id(1)] IReadOnlyList<string> Ids);
