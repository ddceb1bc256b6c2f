using CoopMarket.Grains.Market;
using Orleans.Storage;

namespace CoopMarket.Grains.Tests.Market;

/// <summary>A market's snapshot as storage holds it, past the market's memory: the snapshot record, the directory pages
/// it names and every page they name, so tests see what a restart would load.</summary>
internal sealed class StoredSnapshot(
    MarketSnapshot snapshot, IReadOnlyList<SnapshotPageRef> names, IReadOnlyList<(GrainId Id, GrainState<SnapshotPage> State)> pages)
{
    public MarketSnapshot Snapshot => snapshot;

    public long ThroughEntry => snapshot.ThroughEntry;

    /// <summary>The versions of the pages holding lots, requests and deals, named through the directories (or, in a
    /// snapshot written before directories, by the record itself).</summary>
    public IReadOnlyList<SnapshotPageRef> Names => names;

    public IEnumerable<SnapshotPage> Pages => pages.Select(p => p.State.State!);

    public List<SnapshotLot> Lots => [.. Pages.SelectMany(p => p.Lots)];

    public List<SnapshotRequest> Requests => [.. Pages.SelectMany(p => p.Requests)];

    public List<LiveDeal> Deals => [.. Pages.SelectMany(p => p.Deals)];

    public static async Task<StoredSnapshot?> ReadAsync(string product)
    {
        var snapshot = await FaultyStorage.ReadAsync<MarketSnapshot>("snapshot", GrainId.Create("coopmarket-snapshot", product));
        if (snapshot is null)
        {
            return null;
        }

        var names = snapshot.Pages.Where(name => name.Family != PageFamily.Directory).ToList();
        foreach (var directory in snapshot.Pages.Where(name => name.Family == PageFamily.Directory))
        {
            names.AddRange((await ReadPageAsync(product, directory)).State!.Names);
        }

        var pages = new List<(GrainId, GrainState<SnapshotPage>)>();
        foreach (var name in names)
        {
            pages.Add((PageId(product, name), await ReadPageAsync(product, name)));
        }

        return new StoredSnapshot(snapshot, names, pages);
    }

    public static GrainId PageId(string product, SnapshotPageRef name) =>
        GrainId.Create("coopmarket-snapshot-page", $"{product}/{name.Family}/{name.Number}/{name.Stamp}");

    private static async Task<GrainState<SnapshotPage>> ReadPageAsync(string product, SnapshotPageRef name)
    {
        var state = new GrainState<SnapshotPage>();
        await FaultyStorage.Inner!.ReadStateAsync("page", PageId(product, name), state);
        return state;
    }

    /// <summary>Stores the pages again as they are now, after a test changed them to stand for what older code wrote.</summary>
    public async Task RewritePagesAsync()
    {
        foreach (var (id, state) in pages)
        {
            await FaultyStorage.Inner!.WriteStateAsync("page", id, state);
        }
    }
}
