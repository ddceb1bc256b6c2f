using Orleans.Storage;

namespace CoopMarket.Grains.Paging;

/// <summary>The sealed pages of the id indexes of one grain (its lots, requests or deals), each index's pages kept by
/// a <see cref="PageStore{T}"/> under the owner and the index name.</summary>
internal sealed class IdPageStore(IGrainStorage storage, string owner)
{
    /// <summary>The index <paramref name="ids"/> with <paramref name="added"/> appended, after storing the pages that
    /// filled: the caller then writes the record that counts them.</summary>
    public Task<PagedLog<string>> AppendAsync(string index, PagedLog<string> ids, IEnumerable<string> added) =>
        Pages(index).AppendAsync(ids, added);

    /// <summary>Up to <paramref name="request"/>'s limit of ids, newest first.</summary>
    public async Task<IdPage> ReadAsync(string index, PagedLog<string> ids, PageRequest request)
    {
        var (items, next) = await Pages(index).ReadNewestFirstAsync(ids, request);
        return new IdPage([.. items.Select(i => i.Item)], next);
    }

    private PageStore<string> Pages(string index) => new(storage, "page", "coopmarket-page", $"{owner}/{index}");
}
