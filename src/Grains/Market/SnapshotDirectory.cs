namespace CoopMarket.Grains.Market;

/// <summary>Which version of each snapshot page the stored snapshot names, kept in directory pages: directory page
/// <c>d</c> names the pages numbered <c>d × PagesPerDirectory</c> up to the next directory's first, of every family, and
/// the snapshot record names only the directories.</summary>
/// <remarks>A market keeps a page for every stretch of the season that still holds an open lot or a deal in progress, so
/// a record naming every page grew with the season and was written whole at every snapshot. A snapshot now writes the
/// directories of the pages it changed, most often the newest one, and a record that names one directory per
/// <see cref="PagesPerDirectory"/> pages. Directory pages are versioned like the others (a new record per version), so a
/// snapshot that fails half way still leaves the stored one whole.</remarks>
internal sealed class SnapshotDirectory
{
    /// <summary>Pages a directory names, per family: some 51,200 entries' worth, a directory page of a few kilobytes.</summary>
    public const int PagesPerDirectory = 256;

    private readonly Dictionary<long, Dictionary<(PageFamily Family, long Number), SnapshotPageRef>> pages = [];
    private readonly Dictionary<long, SnapshotPageRef> directories = [];

    // Directories to write at the next snapshot whatever it changes: a snapshot written before directories named these
    // pages itself, and the record the next one writes names directories only.
    private readonly HashSet<long> due = [];

    /// <summary>The versions of the pages holding the market's lots, requests and deals.</summary>
    public IEnumerable<SnapshotPageRef> Pages => pages.Values.SelectMany(named => named.Values);

    /// <summary>Every version named: the directories and the pages they name.</summary>
    public IEnumerable<SnapshotPageRef> Named => directories.Values.Concat(Pages);

    /// <summary>Takes in a directory the stored snapshot names, and the page versions it names.</summary>
    public void RestoreDirectory(SnapshotPageRef directory, IEnumerable<SnapshotPageRef> named)
    {
        directories[directory.Number] = directory;
        foreach (var page in named)
        {
            Name(page);
        }
    }

    /// <summary>Takes in a page that a snapshot written before directories names itself; the next snapshot writes its
    /// directory.</summary>
    public void RestoreNamedDirectly(SnapshotPageRef page)
    {
        Name(page);
        due.Add(DirectoryOf(page.Number));
    }

    /// <summary>Forgets everything named: the market rebuilds from the journal, and its next snapshot names what it writes.</summary>
    public void Clear()
    {
        pages.Clear();
        directories.Clear();
        due.Clear();
    }

    /// <summary>The directory the next snapshot would hold once <paramref name="changes"/> are written: each changed page
    /// under its new version, or gone (a null version: it is empty), and its directory rewritten under
    /// <paramref name="stamp"/>. Nothing changes here until <see cref="Adopt"/>.</summary>
    public SnapshotDirectoryRevision Revise(IEnumerable<(PageFamily Family, long Number, SnapshotPageRef? Version)> changes, long stamp)
    {
        var edits = changes.ToLookup(change => DirectoryOf(change.Number));
        var revised = new Dictionary<long, Dictionary<(PageFamily Family, long Number), SnapshotPageRef>>();
        var written = new List<SnapshotPage>();
        var replaced = new List<SnapshotPageRef>();
        foreach (var number in edits.Select(e => e.Key).Union(due))
        {
            var names = pages.TryGetValue(number, out var current) ? new Dictionary<(PageFamily, long), SnapshotPageRef>(current) : [];
            foreach (var edit in edits[number])
            {
                if (names.Remove((edit.Family, edit.Number), out var old))
                {
                    replaced.Add(old);
                }

                if (edit.Version is { } version)
                {
                    names[(edit.Family, edit.Number)] = version;
                }
            }

            if (directories.TryGetValue(number, out var oldDirectory))
            {
                replaced.Add(oldDirectory);
            }

            revised[number] = names;
            if (names.Count > 0)
            {
                written.Add(new SnapshotPage { Family = PageFamily.Directory, Number = number, Names = [.. names.Values] });
            }
        }

        var kept = directories.Where(d => !revised.ContainsKey(d.Key)).Select(d => d.Value);
        var rewritten = written.Select(page => new SnapshotPageRef(PageFamily.Directory, page.Number, stamp));
        return new SnapshotDirectoryRevision(revised, written, replaced, [.. kept.Concat(rewritten)], stamp);
    }

    /// <summary>Makes <paramref name="revision"/> the directory: the snapshot that holds it has landed.</summary>
    public void Adopt(SnapshotDirectoryRevision revision)
    {
        foreach (var (number, named) in revision.Revised)
        {
            if (named.Count == 0)
            {
                pages.Remove(number);
                directories.Remove(number);
            }
            else
            {
                pages[number] = named;
                directories[number] = new SnapshotPageRef(PageFamily.Directory, number, revision.Stamp);
            }
        }

        due.Clear();
    }

    private void Name(SnapshotPageRef page)
    {
        var number = DirectoryOf(page.Number);
        if (!pages.TryGetValue(number, out var named))
        {
            pages[number] = named = [];
        }

        named[(page.Family, page.Number)] = page;
    }

    private static long DirectoryOf(long pageNumber) => pageNumber / PagesPerDirectory;
}

/// <summary>A directory as the next snapshot would hold it: see <see cref="SnapshotDirectory.Revise"/>.</summary>
/// <param name="Revised">The directories it rewrites (or drops, when they name nothing), with the pages each names.</param>
/// <param name="Written">The directory pages to write.</param>
/// <param name="Replaced">The versions of pages and directories it no longer names.</param>
/// <param name="Directories">Every directory it names: the snapshot record's list.</param>
internal sealed record SnapshotDirectoryRevision(
    IReadOnlyDictionary<long, Dictionary<(PageFamily Family, long Number), SnapshotPageRef>> Revised,
    IReadOnlyList<SnapshotPage> Written,
    IReadOnlyList<SnapshotPageRef> Replaced,
    List<SnapshotPageRef> Directories,
    long Stamp);
