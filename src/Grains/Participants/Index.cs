namespace CoopMarket.Grains.Participants;

/// <summary>Participants keep their lots, requests and deals as id lists in arrival order, which the market may
/// send more than once.</summary>
internal static class Index
{
    /// <summary>Appends the ids not yet in <paramref name="list"/>; returns whether any was new.</summary>
    public static bool AddNew(List<string> list, IReadOnlyList<string> ids)
    {
        var added = false;
        foreach (var id in ids)
        {
            if (!list.Contains(id))
            {
                list.Add(id);
                added = true;
            }
        }

        return added;
    }
}
