using Orleans.Storage;

namespace CoopMarket.Grains.Paging;

/// <summary>Writes and reads the sealed pages of the indexes of one grain, each page a record of its own in the
/// grain storage, keyed by the owner, the index name and the page number.</summary>
internal sealed class IdPageStore(IGrainStorage storage, string owner)
{
    private const string StateName = "page";

    /// <summary>Stores pages that filled. A page that is stored but not yet counted by its index (the index's own
    /// write failed after it) may be written again with other ids: nothing reads a page its index does not count.</summary>
    public async Task SealAsync(string index, IReadOnlyList<SealedPage> pages)
    {
        foreach (var page in pages)
        {
            var id = PageId(index, page.Number);
            var state = new GrainState<SealedPage>(page);
            try
            {
                await storage.WriteStateAsync(StateName, id, state);
            }
            catch (InconsistentStateException)
            {
                var existing = new GrainState<SealedPage>();
                await storage.ReadStateAsync(StateName, id, existing);
                await storage.WriteStateAsync(StateName, id, new GrainState<SealedPage>(page) { ETag = existing.ETag });
            }
        }
    }

    /// <summary>Up to <paramref name="request"/>'s limit of ids, newest first.</summary>
    public async Task<IdPage> ReadAsync(string index, IdIndex ids, PageRequest request)
    {
        var start = Math.Min(request.Before ?? ids.Count, ids.Count);
        var end = Math.Max(0, start - request.Limit);
        var tailStart = ids.Count - ids.Tail.Count;
        var result = new List<string>((int)(start - end));
        SealedPage? page = null;
        for (var position = start - 1; position >= end; position--)
        {
            if (position >= tailStart)
            {
                result.Add(ids.Tail[(int)(position - tailStart)]);
                continue;
            }

            var number = position / IdIndex.PageSize;
            if (page?.Number != number)
            {
                var state = new GrainState<SealedPage>();
                await storage.ReadStateAsync(StateName, PageId(index, number), state);
                page = state.RecordExists ? state.State : throw new InvalidOperationException($"Page {number} of {owner}/{index} is missing.");
            }

            result.Add(page!.Ids[(int)(position - number * IdIndex.PageSize)]);
        }

        return new IdPage(result, end > 0 ? end : null);
    }

    private GrainId PageId(string index, long number) => GrainId.Create("coopmarket-page", $"{owner}/{index}/{number}");
}
