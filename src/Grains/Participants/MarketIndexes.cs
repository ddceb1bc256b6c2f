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

    [Id(0)] public PagedLog<string> Posts { get; init; } = PagedLog.New<string>();
    [Id(1)] public PagedLog<string> Deals { get; init; } = PagedLog.New<string>();
    [Id(2)] public IReadOnlyDictionary<string, long> IndexedThrough { get; init; } = new Dictionary<string, long>(StringComparer.Ordinal);

    /// <summary>The indexes with the ids of the entries not yet indexed added, after storing the pages that filled;
    /// null when every entry was indexed already.</summary>
    /// <remarks>All the entries' ids go in one append, so a batch seals each page that fills once and the participant's
    /// record is written once, however many entries of a shared journal write the batch holds.</remarks>
    public async Task<MarketIndexes?> AddAsync(IdPageStore pages, string product, IReadOnlyList<IndexedEntry> entries)
    {
        var through = IndexedThrough.GetValueOrDefault(product);
        var fresh = entries.Where(e => e.Entry > through).ToList();
        if (fresh.Count == 0)
        {
            return null;
        }

        return this with
        {
            Posts = await pages.AppendAsync(PostsIndex, Posts, fresh.SelectMany(e => e.PostIds)),
            Deals = await pages.AppendAsync(DealsIndex, Deals, fresh.SelectMany(e => e.DealIds)),
            IndexedThrough = new Dictionary<string, long>(IndexedThrough, StringComparer.Ordinal) { [product] = fresh.Max(e => e.Entry) },
        };
    }
}
