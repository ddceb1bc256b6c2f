namespace CoopMarket.Matching;

/// <summary>The open lots of one shelf at one ask, in arrival order.</summary>
/// <remarks>New lots always arrive last, so adding is an append. Removing only unmarks the lot and the list is
/// compacted once it is mostly dead, which keeps a withdrawal O(1) amortised; a lot given back after a rejected
/// deal that is still in the list simply comes back to life in its old place.</remarks>
internal sealed class PriceLevel(long ask)
{
    private const int CompactAtDead = 16;

    private readonly List<LotEntry> lots = [];
    private int dead;

    public long Ask { get; } = ask;
    public int LiveCount { get; private set; }
    public int Count => lots.Count;

    /// <summary>The lot at <paramref name="index"/>, which may be one no longer open: check <see cref="LotEntry.IsOpen"/>.</summary>
    public LotEntry this[int index] => lots[index];

    public void Add(LotEntry lot)
    {
        if (lot.InLevel)
        {
            dead--;
        }
        else if (lots.Count == 0 || lots[^1].Sequence < lot.Sequence)
        {
            lots.Add(lot);
        }
        else
        {
            var at = lots.BinarySearch(lot, BySequence);
            lots.Insert(~at, lot);
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
    }

    private static readonly Comparer<LotEntry> BySequence = Comparer<LotEntry>.Create(static (a, b) => a.Sequence.CompareTo(b.Sequence));
}
