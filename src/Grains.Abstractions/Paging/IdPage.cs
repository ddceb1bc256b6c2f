namespace CoopMarket.Grains.Paging;

/// <summary>One page of an index, newest first.</summary>
/// <param name="Next">Where the next (older) page starts; null on the last page. An index only grows at its
/// newest end, so a position stays valid however much is added after it was handed out.</param>
[GenerateSerializer, Immutable]
public sealed record IdPage([property: Id(0)] IReadOnlyList<string> Ids, [property: Id(1)] long? Next);

/// <summary>A page asked for: at most <paramref name="Limit"/> ids older than position <paramref name="Before"/>
/// (from the newest when null).</summary>
[GenerateSerializer, Immutable]
public sealed record PageRequest([property: Id(0)] int Limit, [property: Id(1)] long? Before)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    public static PageRequest First { get; } = new(DefaultLimit, null);
}
