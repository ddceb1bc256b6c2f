using CoopMarket.Grains.Market;
using Orleans.Storage;

namespace CoopMarket.Grains.Tests.Market;

/// <summary>A market's snapshot as storage holds it, past the market's memory: the snapshot record and every page it
/// names, so tests see what a restart would load.</summary>
internal sealed class StoredSnapshot(MarketSnapshot snapshot, IReadOnlyList<(GrainId Id, GrainState<SnapshotPage> State)> pages)
{
    public MarketSnapshot Snapshot => snapshot;

    public long ThroughEntry => snapshot.ThroughEntry;

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

        var pages = new List<(GrainId, GrainState<SnapshotPage>)>();
        foreach (var name in snapshot.Pages)
        {
            var id = GrainId.Create("coopmarket-snapshot-page", $"{product}/{name.Family}/{name.Number}/{name.Stamp}");
            var state = new GrainState<SnapshotPage>();
            await FaultyStorage.Inner!.ReadStateAsync("page", id, state);
            pages.Add((id, state));
        }

        return new StoredSnapshot(snapshot, pages);
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
