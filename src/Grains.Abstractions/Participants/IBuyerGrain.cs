using CoopMarket.Grains.Market;

namespace CoopMarket.Grains.Participants;

/// <summary>A buyer: its profile and the index of its requests and deals.</summary>
public interface IBuyerGrain : IGrainWithStringKey
{
    /// <summary>Registers the buyer once; the same body again is a replay, another body is refused.</summary>
    Task<CommandResult<BuyerProfile>> RegisterAsync(BuyerProfile profile, string bodyHash);

    Task<BuyerProfile?> GetAsync();

    Task<IReadOnlyList<string>> GetRequestIdsAsync();

    Task<IReadOnlyList<string>> GetDealIdsAsync();

    /// <summary>Indexes requests and deals of this buyer; adding an id twice changes nothing.</summary>
    Task IndexAsync(IReadOnlyList<string> requestIds, IReadOnlyList<string> dealIds);
}
