using CoopMarket.Grains.Market;

namespace CoopMarket.Grains.Tests.Market;

/// <summary>The snapshot record names directories, and a snapshot rewrites only the directories of the pages it changed:
/// what it writes follows what changed, however many pages the season has left.</summary>
public sealed class SnapshotDirectoryTests
{
    private const int PerDirectory = SnapshotDirectory.PagesPerDirectory;

    [Fact]
    public void A_change_rewrites_the_directory_of_its_page_and_no_other()
    {
        // Three directories' worth of lot pages, all written by the snapshot of entry 100.
        var directory = new SnapshotDirectory();
        var first = directory.Revise(Versions(Enumerable.Range(0, 3 * PerDirectory), stamp: 100), stamp: 100);
        directory.Adopt(first);
        Assert.Equal([0L, 1L, 2L], first.Directories.Select(d => d.Number).Order());

        // Entry 200's snapshot changes one page of the middle directory and empties one of the last.
        var second = directory.Revise(
            [(PageFamily.Lots, PerDirectory + 5, Version(PerDirectory + 5, 200)), (PageFamily.Lots, 2 * PerDirectory, null)], stamp: 200);

        Assert.Equal([1L, 2L], second.Written.Select(page => page.Number).Order());
        Assert.Equal(
            [(0L, 100L), (1L, 200L), (2L, 200L)],
            second.Directories.Select(d => (d.Number, d.Stamp)).Order());
        Assert.Equal(
            [new SnapshotPageRef(PageFamily.Lots, PerDirectory + 5, 100), new SnapshotPageRef(PageFamily.Lots, 2 * PerDirectory, 100),
             new SnapshotPageRef(PageFamily.Directory, 1, 100), new SnapshotPageRef(PageFamily.Directory, 2, 100)],
            second.Replaced.OrderBy(r => r.Family).ThenBy(r => r.Number));
        Assert.Contains(Version(PerDirectory + 5, 200), second.Written.Single(page => page.Number == 1).Names);
        Assert.Equal(PerDirectory - 1, second.Written.Single(page => page.Number == 2).Names.Count);
    }

    [Fact]
    public void Nothing_changes_until_the_revision_is_adopted()
    {
        var directory = new SnapshotDirectory();
        directory.Adopt(directory.Revise(Versions([0, 1], stamp: 100), stamp: 100));

        // A snapshot that never landed: the next one still replaces what the stored one names.
        directory.Revise([(PageFamily.Lots, 1, Version(1, 200))], stamp: 200);
        var next = directory.Revise([(PageFamily.Lots, 1, Version(1, 300))], stamp: 300);

        Assert.Equal([Version(1, 100), new SnapshotPageRef(PageFamily.Directory, 0, 100)], next.Replaced);
        Assert.Equal([Version(0, 100), Version(1, 300)], next.Written.Single().Names.OrderBy(n => n.Number));
    }

    [Fact]
    public void A_directory_whose_pages_all_emptied_is_named_no_more()
    {
        var directory = new SnapshotDirectory();
        directory.Adopt(directory.Revise(Versions([0, PerDirectory], stamp: 100), stamp: 100));

        var emptied = directory.Revise([(PageFamily.Lots, 0, null)], stamp: 200);
        directory.Adopt(emptied);

        Assert.Empty(emptied.Written);
        Assert.Equal([new SnapshotPageRef(PageFamily.Directory, 1, 100)], emptied.Directories);
        Assert.Equal([Version(PerDirectory, 100)], directory.Pages);
    }

    [Fact]
    public void Pages_a_record_named_itself_get_their_directory_at_the_next_snapshot()
    {
        // Read from a snapshot written before directories: the record named pages 0 and 1 itself.
        var directory = new SnapshotDirectory();
        directory.RestoreNamedDirectly(Version(0, 100));
        directory.RestoreNamedDirectly(Version(1, 100));

        // The next snapshot changes a page of the next directory only, and still names pages 0 and 1, through directory 0.
        var next = directory.Revise([(PageFamily.Lots, PerDirectory, Version(PerDirectory, 200))], stamp: 200);

        Assert.Equal([(0L, 200L), (1L, 200L)], next.Directories.Select(d => (d.Number, d.Stamp)).Order());
        Assert.Equal([Version(0, 100), Version(1, 100)], next.Written.Single(page => page.Number == 0).Names.OrderBy(n => n.Number));
        Assert.Empty(next.Replaced);

        // Once that snapshot landed, the one after it writes only what changes.
        directory.Adopt(next);
        Assert.Equal([1L], directory.Revise([(PageFamily.Lots, PerDirectory, Version(PerDirectory, 300))], stamp: 300).Written.Select(page => page.Number));
    }

    private static SnapshotPageRef Version(long number, long stamp) => new(PageFamily.Lots, number, stamp);

    private static IEnumerable<(PageFamily, long, SnapshotPageRef?)> Versions(IEnumerable<int> numbers, long stamp) =>
        numbers.Select(n => (PageFamily.Lots, (long)n, (SnapshotPageRef?)Version(n, stamp)));
}
