using CoopMarket.Grains.Market;

namespace CoopMarket.Grains.Participants;

/// <summary>A cooperative: its profile, its value chains, and the index of its lots and deals.</summary>
public interface ICooperativeGrain : IGrainWithStringKey
{
    /// <summary>Registers the cooperative once; the same body again is a replay, another body is refused.</summary>
    Task<CommandResult<CooperativeProfile>> RegisterAsync(CooperativeProfile profile, string bodyHash);

    Task<CooperativeProfile?> GetAsync();

    Task<IReadOnlyList<ChainMembership>> GetChainsAsync();

    /// <summary>Records membership of a value chain; its lots from then on belong to the chain.</summary>
    Task JoinChainAsync(ChainMembership membership);

    Task<IReadOnlyList<string>> GetLotIdsAsync();

    Task<IReadOnlyList<string>> GetDealIdsAsync();

    /// <summary>Indexes a lot and deals of this cooperative; adding an id twice changes nothing.</summary>
    Task IndexAsync(IReadOnlyList<string> lotIds, IReadOnlyList<string> dealIds);
}
