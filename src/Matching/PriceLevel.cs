namespace CoopMarket.Matching;

/// <summary>The open lots of one shelf at one ask, by the week their harvest starts.</summary>
/// <remarks>A request can only use a lot whose harvest starts early enough to arrive by its last delivery day and
/// ends late enough to still be fresh on its first one; the weeks let it skip the others without looking at them,
/// which matters once a level holds a whole season.</remarks>
internal sealed class PriceLevel(long ask)
{
    private readonly List<HarvestWeek> weeks = [];

    public long Ask { get; } = ask;
    public int LiveCount { get; private set; }
    public int WeekCount => weeks.Count;

    /// <summary>The weeks in order, earliest first.</summary>
    public HarvestWeek Week(int index) => weeks[index];

    public void Add(LotEntry lot)
    {
        var at = Find(lot.HarvestFrom / 7);
        if (at < 0)
        {
            at = ~at;
            weeks.Insert(at, new HarvestWeek(lot.HarvestFrom / 7));
        }

        weeks[at].Add(lot);
        LiveCount++;
    }

    public void Remove(LotEntry lot)
    {
        var at = Find(lot.HarvestFrom / 7);
        var week = weeks[at];
        week.Remove(lot);
        LiveCount--;
        if (week.LiveCount == 0)
        {
            weeks.RemoveAt(at);
        }
    }

    private int Find(int week)
    {
        int low = 0, high = weeks.Count - 1;
        while (low <= high)
        {
            var middle = (low + high) >>> 1;
            var found = weeks[middle].Week;
            if (found == week)
            {
                return middle;
            }

            if (found < week)
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
