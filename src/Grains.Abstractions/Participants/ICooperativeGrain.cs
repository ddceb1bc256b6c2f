using CoopMarket.Grains.Paging;

namespace CoopMarket.Grains.Participants;

/// <summary>A cooperative: its profile, its value chains, and the index of its lots and deals.</summary>
public interface ICooperativeGrain : IParticipantGrain<CooperativeProfile>
{
    Task<IReadOnlyList<ChainMembership>> GetChainsAsync();

    /// <summary>Records membership of a value chain; its lots from then on belong to the chain.</summary>
    Task JoinChainAsync(ChainMembership membership);

    /// <summary>The cooperative's lots, newest first.</summary>
    Task<IdPage> GetLotIdsAsync(PageRequest page);

    /// <summary>The products whose markets hold lots or deals of the cooperative.</summary>
    Task<IReadOnlyList<string>> GetProductsAsync();
}
