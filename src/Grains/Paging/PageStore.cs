using Orleans.Storage;

namespace CoopMarket.Grains.Paging;

/// <summary>Writes and reads the sealed pages of one <see cref="PagedLog{T}"/>, each page a record of its own in the
/// grain storage, keyed by <paramref name="key"/> and the page number under <paramref name="stateName"/> and
/// <paramref name="pageType"/>.</summary>
internal sealed class PageStore<T>(IGrainStorage storage, string stateName, string pageType, string key)
{
    /// <summary>The log with <paramref name="added"/> appended, after storing the pages that filled: the caller then
    /// writes the record that counts them.</summary>
    public async Task<PagedLog<T>> AppendAsync(PagedLog<T> log, IEnumerable<T> added)
    {
        var (next, sealedPages) = log.Append(added);
        await SealAsync(sealedPages);
        return next;
    }

    /// <summary>Stores pages that filled. A page stored but not yet counted by its log (the log's own write failed
    /// after it) may be written again with other items: nothing reads a page its log does not count.</summary>
    private async Task SealAsync(IReadOnlyList<LogPage<T>> pages)
    {
        foreach (var page in pages)
        {
            var id = PageId(page.Number);
            try
            {
                await storage.WriteStateAsync(stateName, id, new GrainState<LogPage<T>>(page));
            }
            catch (InconsistentStateException)
            {
                var existing = new GrainState<LogPage<T>>();
                await storage.ReadStateAsync(stateName, id, existing);
                await storage.WriteStateAsync(stateName, id, new GrainState<LogPage<T>>(page) { ETag = existing.ETag });
            }
        }
    }

    /// <summary>The items at 0-based positions <paramref name="from"/> (inclusive) to <paramref name="to"/>
    /// (exclusive), oldest first, reading each sealed page they touch once.</summary>
    public async Task<IReadOnlyList<(long Position, T Item)>> ReadAsync(PagedLog<T> log, long from, long to)
    {
        var result = new List<(long, T)>((int)Math.Max(0, to - from));
        LogPage<T>? page = null;
        for (var position = from; position < to; position++)
        {
            if (position >= log.TailStart)
            {
                result.Add((position, log.Tail[(int)(position - log.TailStart)]));
                continue;
            }

            // The log's own page size: a log stored before logs knew theirs has pages of 100, a newer one smaller.
            var number = position / log.PageSize;
            if (page?.Number != number)
            {
                var state = new GrainState<LogPage<T>>();
                await storage.ReadStateAsync(stateName, PageId(number), state);
                page = state.RecordExists ? state.State : throw new InvalidOperationException($"Page {number} of {key} is missing.");
            }

            result.Add((position, page!.Items[(int)(position - number * log.PageSize)]));
        }

        return result;
    }

    /// <summary>Up to <paramref name="request"/>'s limit of items before its cursor (or the newest), newest first, and
    /// the cursor of the older items after them: null once the oldest is read.</summary>
    public async Task<(IReadOnlyList<(long Position, T Item)> Items, long? Next)> ReadNewestFirstAsync(PagedLog<T> log, PageRequest request)
    {
        var end = Math.Min(request.Before ?? log.Count, log.Count);
        var start = Math.Max(0, end - request.Limit);
        var items = await ReadAsync(log, start, end);
        return ([.. items.Reverse()], start > 0 ? start : null);
    }

    private GrainId PageId(long number) => GrainId.Create(pageType, $"{key}/{number}");
}
