using Orleans.Storage;

namespace CoopMarket.Grains.Market;

/// <summary>A market's journal and snapshot, each entry stored under a key of its own in the grain storage, so
/// recording a change writes one small record whatever the size of the book.</summary>
/// <remarks>An entry is written once, with no etag: a second activation of the same market (possible for a moment
/// after a silo failure) that tries to write the same entry number fails instead of forking the journal.</remarks>
internal sealed class MarketJournal(IGrainStorage storage, string product)
{
    private const string EntryState = "entry";
    private const string SnapshotState = "snapshot";
    private const int ReadAhead = 32;
    private readonly GrainId snapshotId = GrainId.Create("coopmarket-snapshot", product);
    private string? snapshotETag;

    public async Task<MarketSnapshot?> ReadSnapshotAsync()
    {
        var state = new GrainState<MarketSnapshot>();
        await storage.ReadStateAsync(SnapshotState, snapshotId, state);
        snapshotETag = state.ETag;
        return state.RecordExists ? state.State : null;
    }

    public async Task WriteSnapshotAsync(MarketSnapshot snapshot)
    {
        var state = new GrainState<MarketSnapshot>(snapshot) { ETag = snapshotETag };
        await storage.WriteStateAsync(SnapshotState, snapshotId, state);
        snapshotETag = state.ETag;
    }

    /// <summary>Reads the stored snapshot's etag again, after a write whose outcome is unknown.</summary>
    public async Task RefreshSnapshotETagAsync()
    {
        try
        {
            await ReadSnapshotAsync();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Storage is still failing; the next snapshot's write fails too, and comes back here to try again.
        }
    }

    /// <summary>The entries from <paramref name="first"/> on, in order, through <paramref name="last"/> or up to the first
    /// number not written. They are read a batch at a time, side by side: a market loading after a restart or an outage
    /// reads up to a snapshot's worth of entries, and every call to it waits for that, so one round trip per entry
    /// (seconds on a loaded machine) becomes one per batch.</summary>
    /// <remarks>Entries are written in order by one activation at a time, so no entry exists past a missing one.</remarks>
    public async Task<List<MarketEntry>> ReadFromAsync(long first, long last = long.MaxValue)
    {
        var entries = new List<MarketEntry>();
        for (var from = first; from <= last; from += ReadAhead)
        {
            var count = (int)Math.Min(ReadAhead, last - from + 1);
            foreach (var entry in await Task.WhenAll(Enumerable.Range(0, count).Select(i => ReadAsync(from + i))))
            {
                if (entry is null)
                {
                    return entries;
                }

                entries.Add(entry);
            }
        }

        return entries;
    }

    public async Task<MarketEntry?> ReadAsync(long number)
    {
        var state = new GrainState<MarketEntry?>();
        await storage.ReadStateAsync(EntryState, EntryId(number), state);
        return state.RecordExists ? state.State : null;
    }

    public Task AppendAsync(MarketEntry entry) =>
        storage.WriteStateAsync(EntryState, EntryId(entry.Number), new GrainState<MarketEntry?>(entry));

    private GrainId EntryId(long number) => GrainId.Create("coopmarket-journal", $"{product}/{number}");
}
