namespace CoopMarket.Grains.Market;

/// <summary>One deal, keyed by its id.</summary>
public interface IDealGrain : IGrainWithStringKey
{
    Task<Deal?> GetAsync();

    /// <summary>Records the deal the market made; recording it again changes nothing.</summary>
    Task RecordAsync(Deal deal);
}
