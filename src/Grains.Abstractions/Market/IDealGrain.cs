namespace CoopMarket.Grains.Market;

/// <summary>One deal, keyed by its id.</summary>
public interface IDealGrain : IGrainWithStringKey
{
    Task<Deal?> GetAsync();

    /// <summary>Records the deal the market made; recording it again changes nothing.</summary>
    Task RecordAsync(Deal deal);

    /// <summary>Applies a step the market journalled; applying it again changes nothing.</summary>
    Task ApplyAsync(DealChange change);

    /// <summary>The step that led the deal to <paramref name="status"/> when it was taken with <paramref name="key"/>; null otherwise.</summary>
    Task<DealChange?> FindStepAsync(string status, string key);

    /// <summary>The steps the deal took, oldest first, each with who took it (a side, a cooperative's rule, or the clock).</summary>
    Task<IReadOnlyList<DealChange>> GetStepsAsync();
}
