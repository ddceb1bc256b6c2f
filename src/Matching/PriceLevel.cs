namespace CoopMarket.Matching;

/// <summary>The open lots of one shelf at one ask, in arrival order.</summary>
/// <remarks>New lots always arrive last, so adding is an append. Removing only unmarks the lot and the list is
/// compacted once it is mostly dead, which keeps a withdrawal O(1) amortised; a lot given back after a rejected
/// deal that is still in the list simply comes back to life in its old place. Requests take a level's lots oldest
/// first, so its dead lots gather at the front: <see cref="FirstLive"/> skips them, or every request would step over
/// up to as many dead lots as the level has live ones.</remarks>
internal sealed class PriceLevel(long ask)
{
    private const int CompactAtDead = 16;

    private readonly List<LotEntry> lots = [];
    private int dead;
    private int head;

    public long Ask { get; } = ask;
    public int LiveCount { get; private set; }
    public int Count => lots.Count;

    /// <summary>No lot before this index is open.</summary>
    public int FirstLive => head;

    /// <summary>The lot at <paramref name="index"/>, which may be one no longer open: check <see cref="LotEntry.IsOpen"/>.</summary>
    public LotEntry this[int index] => lots[index];

    public void Add(LotEntry lot)
    {
        if (lot.InLevel)
        {
            dead--;
            head = Math.Min(head, lots.BinarySearch(lot, BySequence));
        }
        else if (lots.Count == 0 || lots[^1].Sequence < lot.Sequence)
        {
            lots.Add(lot);
        }
        else
        {
            var at = ~lots.BinarySearch(lot, BySequence);
            lots.Insert(at, lot);
            head = Math.Min(head, at);
        }

        lot.InLevel = true;
        lot.IsOpen = true;
        LiveCount++;
    }

    public void Remove(LotEntry lot)
    {
        lot.IsOpen = false;
        LiveCount--;
        dead++;
        if (LiveCount == 0)
        {
            Clear();
        }
        else if (dead > CompactAtDead && dead > LiveCount)
        {
            lots.RemoveAll(static l =>
            {
                l.InLevel = l.IsOpen;
                return !l.IsOpen;
            });
            dead = 0;
            head = 0;
        }
        else
        {
            while (!lots[head].IsOpen)
            {
                head++;
            }
        }
    }

    private void Clear()
    {
        foreach (var lot in lots)
        {
            lot.InLevel = false;
        }

        lots.Clear();
        dead = 0;
        head = 0;
    }

    private static readonly Comparer<LotEntry> BySequence = Comparer<LotEntry>.Create(static (a, b) => a.Sequence.CompareTo(b.Sequence));
}
