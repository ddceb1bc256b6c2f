namespace CoopMarket.Matching;

/// <summary>The open lots picked up at one place, as price levels from the cheapest ask up.</summary>
/// <remarks>Transport depends only on the two places, so within one shelf the landed-cost order for any request is
/// the ask order: a request walks each shelf from its cheapest level and stops at its price, never scanning a book.
/// A district trades at a few hundred distinct asks, so the levels are a sorted array found by binary search.</remarks>
internal sealed class PlaceShelf(Place place, int index)
{
    private readonly List<PriceLevel> levels = [];

    public Place Place { get; } = place;

    /// <summary>Position among the book's shelves, which indexes the book's route tables.</summary>
    public int Index { get; } = index;

    public int LevelCount => levels.Count;

    public PriceLevel Level(int index) => levels[index];

    public void Add(LotEntry lot)
    {
        var at = Find(lot.Ask);
        if (at < 0)
        {
            at = ~at;
            levels.Insert(at, new PriceLevel(lot.Ask));
        }

        levels[at].Add(lot);
    }

    public void Remove(LotEntry lot)
    {
        var at = Find(lot.Ask);
        var level = levels[at];
        level.Remove(lot);
        if (level.LiveCount == 0)
        {
            levels.RemoveAt(at);
        }
    }

    private int Find(long ask)
    {
        int low = 0, high = levels.Count - 1;
        while (low <= high)
        {
            var middle = (low + high) >>> 1;
            var found = levels[middle].Ask;
            if (found == ask)
            {
                return middle;
            }

            if (found < ask)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return ~low;
    }
}
