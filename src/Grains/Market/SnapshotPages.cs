namespace CoopMarket.Grains.Market;

/// <summary>Which snapshot page each lot, request and deal the market keeps belongs to, and which pages changed since
/// the last snapshot: the next one writes those only.</summary>
/// <remarks>An item belongs to the page of the entry that brought it for good. Every change of the market is an entry
/// that names what it changed (lots, requests, deals, and the lot and request of each deal it stepped), so marking what
/// each entry names, live or replayed, marks every page whose content moved. An item that leaves the market stays a
/// member until its page is next built, which drops it: it left by an entry that named it, so its page is due.</remarks>
internal sealed class SnapshotPages
{
    /// <summary>Entries whose items share a page: as many as a snapshot spans, so a busy stretch fills a page or two of
    /// each family, and a page stays a few tens of kilobytes.</summary>
    public const int EntriesPerPage = 200;

    private readonly Dictionary<PageFamily, Dictionary<string, long>> pageOf = new()
    {
        [PageFamily.Lots] = new(StringComparer.Ordinal),
        [PageFamily.Requests] = new(StringComparer.Ordinal),
        [PageFamily.Deals] = new(StringComparer.Ordinal),
    };

    private readonly Dictionary<(PageFamily Family, long Number), HashSet<string>> members = [];
    private readonly HashSet<(PageFamily Family, long Number)> changed = [];

    /// <summary>Puts a new item on the page of the entry that brings it.</summary>
    public void Add(PageFamily family, string id, long entry) => Place(family, id, entry / EntriesPerPage, changes: true);

    /// <summary>Puts an item read from page <paramref name="number"/> back on it, unchanged.</summary>
    public void Restore(PageFamily family, string id, long number) => Place(family, id, number, changes: false);

    /// <summary>Marks the page of an item that changed; an item never added (a deal already let go) has none.</summary>
    public void Touch(PageFamily family, string id)
    {
        if (pageOf[family].TryGetValue(id, out var number))
        {
            changed.Add((family, number));
        }
    }

    /// <summary>Marks every page: what was read must all be written again (a snapshot from before pages existed).</summary>
    public void TouchAll() => changed.UnionWith(members.Keys);

    /// <summary>The pages changed since the last snapshot, each built from the market's memory by
    /// <paramref name="build"/> (which adds the members it still keeps), and forgets members that left; the pages count as
    /// written until <see cref="Unwritten"/> says otherwise.</summary>
    public List<SnapshotPage> TakeChanged(Func<PageFamily, IEnumerable<string>, SnapshotPage, IEnumerable<string>> build)
    {
        var pages = new List<SnapshotPage>(changed.Count);
        foreach (var key in changed)
        {
            var page = new SnapshotPage { Family = key.Family, Number = key.Number };
            if (members.TryGetValue(key, out var ids))
            {
                foreach (var gone in build(key.Family, ids, page).ToList())
                {
                    ids.Remove(gone);
                    pageOf[key.Family].Remove(gone);
                }

                if (ids.Count == 0)
                {
                    members.Remove(key);
                }
            }

            pages.Add(page);
        }

        changed.Clear();
        return pages;
    }

    /// <summary>Marks again pages whose snapshot did not land: the next snapshot writes them.</summary>
    public void Unwritten(IEnumerable<SnapshotPage> pages) => changed.UnionWith(pages.Select(p => (p.Family, p.Number)));

    private void Place(PageFamily family, string id, long number, bool changes)
    {
        pageOf[family][id] = number;
        if (!members.TryGetValue((family, number), out var ids))
        {
            members[(family, number)] = ids = new HashSet<string>(StringComparer.Ordinal);
        }

        ids.Add(id);
        if (changes)
        {
            changed.Add((family, number));
        }
    }
}
