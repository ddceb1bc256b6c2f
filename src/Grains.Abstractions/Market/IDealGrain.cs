namespace CoopMarket.Grains.Market;

/// <summary>One deal, keyed by its id.</summary>
public interface IDealGrain : IGrainWithStringKey
{
    Task<Deal?> GetAsync();

    /// <summary>Records the deal the market made (null when the record has it already) and then the steps the market
    /// journalled after it, in journal order, storing the record once for all; recording or applying again changes
    /// nothing.</summary>
    Task RecordAsync(Deal? deal, IReadOnlyList<DealChange> steps);

    /// <summary>The step that led the deal to <paramref name="status"/> when it was taken with <paramref name="key"/>; null otherwise.</summary>
    Task<DealChange?> FindStepAsync(string status, string key);

    /// <summary>The steps the deal took, oldest first, each with who took it (a side, a cooperative's rule, or the clock).</summary>
    Task<IReadOnlyList<DealChange>> GetStepsAsync();
}
