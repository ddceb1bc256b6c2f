using CoopMarket.Grains.Paging;

namespace CoopMarket.Grains.Participants;

/// <summary>A participant's paged indexes of what the markets made for it: its lots (a cooperative) or requests
/// (a buyer), and its deals, with the last journal entry indexed from each product's market.</summary>
/// <remarks>A market sends each participant its entries in journal order and retries a failed one before any later
/// one, so "entry at most the last indexed" is exactly "indexed already": no id is ever looked up in a list.</remarks>
[GenerateSerializer, Immutable]
internal sealed record MarketIndexes
{
    public const string PostsIndex = "posts";
    public const string DealsIndex = "deals";

    [Id(0)] public PagedLog<string> Posts { get; init; } = new();
    [Id(1)] public PagedLog<string> Deals { get; init; } = new();
    [Id(2)] public IReadOnlyDictionary<string, long> IndexedThrough { get; init; } = new Dictionary<string, long>(StringComparer.Ordinal);

    /// <summary>The indexes with the entry's ids added, after storing the pages that filled; null when the entry was
    /// indexed already.</summary>
    public async Task<MarketIndexes?> AddAsync(IdPageStore pages, string product, long entry, IReadOnlyList<string> postIds, IReadOnlyList<string> dealIds)
    {
        if (IndexedThrough.GetValueOrDefault(product) >= entry)
        {
            return null;
        }

        var (posts, sealedPosts) = Posts.Append(postIds);
        var (deals, sealedDeals) = Deals.Append(dealIds);
        await pages.SealAsync(PostsIndex, sealedPosts);
        await pages.SealAsync(DealsIndex, sealedDeals);
        return this with
        {
            Posts = posts,
            Deals = deals,
            IndexedThrough = new Dictionary<string, long>(IndexedThrough, StringComparer.Ordinal) { [product] = entry },
        };
    }
}
