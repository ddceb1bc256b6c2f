using CoopMarket.Gateway.Apis;
using CoopMarket.Grains.Paging;

namespace CoopMarket.Gateway.Web;

/// <summary>The paging every web list shares.</summary>
internal static class Listing
{
    public const int PageSize = 20;

    /// <summary>The page before <paramref name="cursor"/>: the first page when it is absent or unreadable, since a
    /// person following a stale or edited link is better served by the newest items than by an error page.</summary>
    public static PageRequest Request(string? cursor, int size = PageSize) =>
        new(size, PageQuery.Cursor(cursor));
}

/// <summary>One page of a list on a web page, newest first, paged by the same cursors the API answers.</summary>
internal sealed record Listing<T>(IReadOnlyList<T> Items, string? NextCursor)
    where T : class
{
    /// <summary>Loads the page before <paramref name="cursor"/> (the first page when it is absent or unreadable) as the
    /// API loads its pages (<see cref="PageQuery.LoadAsync"/>).</summary>
    public static async Task<Listing<T>> LoadAsync(Func<PageRequest, Task<IdPage>> ids, string? cursor, Func<string, Task<T?>> load,
        int size = Listing.PageSize)
    {
        var (items, next) = await PageQuery.LoadAsync(ids, Listing.Request(cursor, size), load);
        return new(items, next);
    }
}
