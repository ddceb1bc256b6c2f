namespace CoopMarket.Matching;

/// <summary>The open lots of one price level whose harvest starts in one week.</summary>
/// <remarks>Removing only unmarks a lot, and the list is compacted once it is mostly dead, which keeps a withdrawal
/// O(1) amortised; a lot given back after a rejected deal that is still in the list simply comes back to life.
/// Order within the week does not matter: the planner ranks the candidates of a level itself.</remarks>
internal sealed class HarvestWeek(int week)
{
    private const int CompactAtDead = 16;

    private readonly List<LotEntry> lots = [];
    private int dead;

    public int Week { get; } = week;
    public int FirstDay => Week * 7;

    /// <summary>The latest harvest end of any lot ever in this week: never too low, so a request may skip the week on it.</summary>
    public int MaxHarvestTo { get; private set; } = int.MinValue;

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
        else
        {
            lots.Add(lot);
        }

        MaxHarvestTo = Math.Max(MaxHarvestTo, lot.HarvestTo);
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
        MaxHarvestTo = int.MinValue;
    }
}
