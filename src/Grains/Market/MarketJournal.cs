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
    private const string PageState = "page";
    private const string AttemptState = "attempt";
    private const int ReadAhead = 32;
    private readonly GrainId snapshotId = GrainId.Create("coopmarket-snapshot", product);
    private readonly GrainId attemptId = GrainId.Create("coopmarket-snapshot-attempt", product);
    private string? snapshotETag;
    private string? attemptETag;

    // The entry the stored snapshot ends at as this activation knows it (read or landed), and those of the snapshots it
    // attempted since, any of which may have landed unheard: a stored record ending elsewhere is another activation's.
    private long knownThrough;
    private readonly HashSet<long> attemptedThrough = [];

    // The pages the stored snapshot names, and those that may exist though no snapshot that may be stored names them.
    private readonly SnapshotDirectory directory = new();
    private HashSet<SnapshotPageRef> unnamed = [];

    /// <summary>The stored snapshot and its pages; null when there is none. Its pages are null when one it names is
    /// missing (deleted by another activation of the market, which can exist for a moment after a silo failure, or lost
    /// with storage): the journal holds every entry, so the market then rebuilds from the first.</summary>
    public async Task<(MarketSnapshot Snapshot, List<SnapshotPage>? Pages)?> ReadSnapshotAsync()
    {
        var attempted = await ReadAttemptAsync();
        var stored = await ReadSnapshotRecordAsync();
        knownThrough = stored?.ThroughEntry ?? 0;
        if (stored is not { } snapshot)
        {
            unnamed = [.. attempted];
            return null;
        }

        directory.Clear();
        unnamed = [.. snapshot.Retired];
        foreach (var page in snapshot.Pages.Where(p => p.Family != PageFamily.Directory))
        {
            directory.RestoreNamedDirectly(page);
        }

        // Every directory is read, even past a missing one: the pages those that are there name are deleted with the
        // rest of an untrusted snapshot, where unread they would stay in storage for good.
        var directories = snapshot.Pages.Where(p => p.Family == PageFamily.Directory).ToList();
        var directoryPages = await ReadEachAsync(directories);
        foreach (var (name, page) in directories.Zip(directoryPages))
        {
            if (page is not null)
            {
                directory.RestoreDirectory(name, page.Names);
            }
        }

        if (!directoryPages.Contains(null) && await ReadAllAsync([.. directory.Pages]) is { } pages)
        {
            // What an earlier activation attempted and no landed snapshot names may be stored: the next snapshot deletes it.
            unnamed.UnionWith(attempted.Except(directory.Named));
            return (snapshot, pages);
        }

        unnamed.UnionWith(attempted);
        return Untrusted(snapshot);
    }

    /// <summary>A page the snapshot names is missing: the market rebuilds from the journal, so no page of this snapshot
    /// stands, and the next one names only pages it writes. Kept, a page the rebuild did not rewrite (one read from a
    /// snapshot from before pages holds items of every entry) would bring back what the journal has since closed.</summary>
    private (MarketSnapshot, List<SnapshotPage>?) Untrusted(MarketSnapshot snapshot)
    {
        unnamed.UnionWith(directory.Named);
        unnamed.UnionWith(snapshot.Pages);
        directory.Clear();
        return (snapshot, null);
    }

    /// <summary>The pages <paramref name="names"/> name, in order; null if one is missing.</summary>
    private async Task<List<SnapshotPage>?> ReadAllAsync(List<SnapshotPageRef> names)
    {
        var pages = await ReadEachAsync(names);
        return pages.Contains(null) ? null : [.. pages.OfType<SnapshotPage>()];
    }

    /// <summary>The pages <paramref name="names"/> name, in order, several at a time; null where one is missing.</summary>
    private async Task<List<SnapshotPage?>> ReadEachAsync(List<SnapshotPageRef> names)
    {
        var pages = new List<SnapshotPage?>(names.Count);
        foreach (var batch in names.Chunk(ReadAhead))
        {
            pages.AddRange(await Task.WhenAll(batch.Select(ReadPageAsync)));
        }

        return pages;
    }

    /// <summary>Writes <paramref name="snapshot"/>: first the <paramref name="changed"/> pages and the directories that
    /// name them (<see cref="SnapshotDirectory"/>), each as a new record, then the snapshot naming the directories. Pages
    /// and directories it no longer names are deleted once it has landed. Answers how many pages it wrote.</summary>
    /// <remarks>Until the snapshot lands, the stored one and every page it names stay as they were, so a write that
    /// fails at any point leaves a snapshot that loads. A page written by a snapshot that failed, or whose reply was
    /// lost (it may have landed), is deleted once a later snapshot that does not name it lands.</remarks>
    public async Task<int> WriteSnapshotAsync(MarketSnapshot snapshot, IReadOnlyList<SnapshotPage> changed)
    {
        if (Superseded)
        {
            throw new InvalidOperationException($"Another activation of market {product} stored a snapshot: this one must load again.");
        }

        var stamp = snapshot.ThroughEntry;
        var versions = changed.Select(page => (page.Family, page.Number, Version: page.IsEmpty ? null : new SnapshotPageRef(page.Family, page.Number, stamp))).ToList();
        var revision = directory.Revise(versions, stamp);
        var written = changed.Where(page => !page.IsEmpty).Concat(revision.Written)
            .Select(page => (Ref: new SnapshotPageRef(page.Family, page.Number, stamp), Page: page)).ToList();

        // Counted before they are written: a write that fails may still have landed. Stored too, so that an activation
        // that goes before a snapshot lands leaves the next one what to delete.
        unnamed.UnionWith(written.Select(w => w.Ref));
        attemptedThrough.Add(stamp);
        var attempt = new GrainState<SnapshotAttempt>(new SnapshotAttempt { Unnamed = [.. unnamed] }) { ETag = attemptETag };
        await storage.WriteStateAsync(AttemptState, attemptId, attempt);
        attemptETag = attempt.ETag;
        foreach (var batch in written.Chunk(ReadAhead))
        {
            await Task.WhenAll(batch.Select(w => storage.WriteStateAsync(PageState, PageId(w.Ref), new GrainState<SnapshotPage>(w.Page))));
        }

        snapshot.Pages = revision.Directories;
        snapshot.Retired = [.. unnamed.Union(revision.Replaced).Except(written.Select(w => w.Ref))];
        var state = new GrainState<MarketSnapshot>(snapshot) { ETag = snapshotETag };
        await storage.WriteStateAsync(SnapshotState, snapshotId, state);
        snapshotETag = state.ETag;
        knownThrough = stamp;
        attemptedThrough.Clear();
        directory.Adopt(revision);
        unnamed = [.. snapshot.Retired];
        foreach (var batch in snapshot.Retired.Chunk(ReadAhead))
        {
            await Task.WhenAll(batch.Select(DeletePageAsync));
        }

        return written.Count;
    }

    /// <summary>Whether the stored snapshot is another activation's (one can exist for a moment after a silo failure): it
    /// may have deleted versions this one's directory names, so this one writes no more snapshots and the market loads
    /// again.</summary>
    public bool Superseded { get; private set; }

    /// <summary>Reads the etags of the stored snapshot and attempt again, after a write whose outcome is unknown, takes in
    /// the versions the stored attempt lists, and finds out whether the stored snapshot is <see cref="Superseded"/>.</summary>
    /// <remarks>The attempt is rewritten whole by each snapshot: another activation's, overwritten without what it lists,
    /// would leave the pages it wrote in storage for good. Versions this one's directory names are left out: while the
    /// stored snapshot is this one's own, that is all it names.</remarks>
    public async Task RefreshAfterFailureAsync()
    {
        try
        {
            var through = (await ReadSnapshotRecordAsync())?.ThroughEntry ?? 0;
            unnamed.UnionWith((await ReadAttemptAsync()).Except(directory.Named));
            Superseded |= through != knownThrough && !attemptedThrough.Contains(through);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Storage is still failing; the next snapshot's write fails too, and comes back here to try again.
        }
    }

    /// <summary>The stored snapshot record without its pages, keeping its etag for the next write.</summary>
    private async Task<MarketSnapshot?> ReadSnapshotRecordAsync()
    {
        var state = new GrainState<MarketSnapshot>();
        await storage.ReadStateAsync(SnapshotState, snapshotId, state);
        snapshotETag = state.ETag;
        return state.RecordExists ? state.State : null;
    }

    /// <summary>The versions the last snapshot attempt recorded as possibly stored, keeping its etag for the next one.</summary>
    private async Task<List<SnapshotPageRef>> ReadAttemptAsync()
    {
        var state = new GrainState<SnapshotAttempt>();
        await storage.ReadStateAsync(AttemptState, attemptId, state);
        attemptETag = state.ETag;
        return state is { RecordExists: true, State: { } attempt } ? attempt.Unnamed : [];
    }

    private async Task<SnapshotPage?> ReadPageAsync(SnapshotPageRef name)
    {
        var state = new GrainState<SnapshotPage>();
        await storage.ReadStateAsync(PageState, PageId(name), state);
        return state.RecordExists ? state.State : null;
    }

    /// <summary>Deletes a page no snapshot names, if it exists; one that fails to go is named again by the next snapshot.</summary>
    private async Task DeletePageAsync(SnapshotPageRef name)
    {
        try
        {
            var state = new GrainState<SnapshotPage>();
            await storage.ReadStateAsync(PageState, PageId(name), state);
            if (state.RecordExists)
            {
                await storage.ClearStateAsync(PageState, PageId(name), state);
            }

            unnamed.Remove(name);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Left for the next snapshot, which names it among the retired pages and tries again.
        }
    }

    private GrainId PageId(SnapshotPageRef name) =>
        GrainId.Create("coopmarket-snapshot-page", $"{product}/{name.Family}/{name.Number}/{name.Stamp}");

    /// <summary>The entries from <paramref name="first"/> on, in order, through <paramref name="last"/> or up to the first
    /// number not written; <paramref name="first"/> starts a record (entry 1, or the one after a snapshot's last).</summary>
    /// <remarks>Records are read several at a time, side by side: a market loading after a restart or an outage reads up
    /// to a snapshot's worth of entries, and every call to it waits for that, so one round trip per record (seconds on
    /// a loaded machine) becomes one per batch of reads. A record may hold several entries (a shared write), whose
    /// numbers have no record of their own: the walk skips to the record after it, and reads ahead from there. Records are
    /// written in order by one activation at a time, so none exists past a missing one.</remarks>
    public Task<List<MarketEntry>> ReadFromAsync(long first, long last = long.MaxValue) => WalkAsync(first, first, last);

    /// <summary>Entries <paramref name="first"/> through <paramref name="last"/>, which the journal holds (a snapshot says
    /// so); <paramref name="first"/> may lie inside a record that a shared write stored under an earlier number.</summary>
    public async Task<List<MarketEntry>> ReadRangeAsync(long first, long last)
    {
        if (first > last || first == 1 || await ReadAsync(first) is not null)
        {
            return await WalkAsync(first, first, last);
        }

        // The record holding it starts at most a write's size earlier: the nearest record before it.
        var from = Math.Max(1, first - MarketGrain.MaxEntriesPerWrite + 1);
        var before = await Task.WhenAll(Enumerable.Range(0, (int)(first - from)).Select(i => ReadAsync(from + i)));
        return before.LastOrDefault(r => r is not null) is { } holding
            ? await WalkAsync(holding.Number, first, last)
            : [];
    }

    /// <summary>Walks the records from the one stored under <paramref name="start"/>, keeping the entries from
    /// <paramref name="first"/> through <paramref name="last"/>.</summary>
    private async Task<List<MarketEntry>> WalkAsync(long start, long first, long last)
    {
        var entries = new List<MarketEntry>();
        var next = start;
        while (next <= last)
        {
            var from = next;
            var read = await Task.WhenAll(Enumerable.Range(0, (int)Math.Min(ReadAhead, last - from + 1)).Select(i => ReadAsync(from + i)));
            for (var i = 0; i < read.Length && from + i <= last; i++)
            {
                if (from + i < next)
                {
                    // Inside the record before: no record of its own.
                    continue;
                }

                if (read[i] is not { } record)
                {
                    return entries;
                }

                foreach (var entry in record.Written())
                {
                    if (entry.Number >= first && entry.Number <= last)
                    {
                        entries.Add(entry);
                    }

                    next = entry.Number + 1;
                }
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

    /// <summary>Writes one record: <paramref name="record"/> and the entries that share its write, under its number,
    /// create-only.</summary>
    /// <remarks>Why a shared write, stored under its first entry's number, still cannot fork the journal: the records in
    /// storage form one chain, each starting right after the one before it ends. An activation writes only under its next
    /// number, one past the last entry of the chain as far as it read or wrote it (a snapshot, too, ends where a record
    /// ends, since the market writes one only when nothing is on its way). If the chain has grown since (another
    /// activation wrote meanwhile), the record after the part this writer knows starts exactly at its next number,
    /// since no record overlaps the one this writer knows last; so the key exists and the create-only write fails.
    /// A record of the other activation's cannot cover the number from an earlier key without overlapping that last
    /// known record. So the chain stays one chain, by induction from the empty journal.</remarks>
    public Task AppendAsync(MarketEntry record) =>
        storage.WriteStateAsync(EntryState, EntryId(record.Number), new GrainState<MarketEntry?>(record));

    private GrainId EntryId(long number) => GrainId.Create("coopmarket-journal", $"{product}/{number}");
}
