namespace CoopMarket.Grains.Market;

/// <summary>The readable record of one lot, kept up to date by its market.</summary>
public interface ISupplyLotGrain : IGrainWithStringKey
{
    Task<LotView?> GetAsync();

    /// <summary>Applies a change unless a newer one is already applied: the market may send the same change again
    /// after a failure, and must never be able to roll a record back.</summary>
    Task<LotView?> ApplyAsync(LotChange change);
}
