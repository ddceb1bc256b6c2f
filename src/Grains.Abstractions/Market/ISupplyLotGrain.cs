using CoopMarket.Grains.Paging;

namespace CoopMarket.Grains.Market;

/// <summary>The readable record of one lot, kept up to date by its market.</summary>
public interface ISupplyLotGrain : IGrainWithStringKey
{
    Task<LotView?> GetAsync();

    /// <summary>Claims the id for a command with body <paramref name="bodyHash"/>, before the market sees it. The
    /// record owns its id for ever: an idempotency key, once used, never creates a second effect, whatever the
    /// time since or the product named.</summary>
    Task<Claim> ClaimAsync(string bodyHash);

    /// <summary>The shortfall reported with idempotency key <paramref name="key"/>; null when none was.</summary>
    Task<LotShortfall?> FindShortfallAsync(string key);

    /// <summary>The deals made from this lot, newest first.</summary>
    Task<IdPage> GetDealIdsAsync(PageRequest page);

    /// <summary>Applies changes in journal order, each unless a newer one is already applied, and stores the record
    /// once for all of them: the market may send the same changes again after a failure, and must never be able to
    /// roll a record back.</summary>
    Task ApplyAsync(IReadOnlyList<LotChange> changes);
}
