using CoopMarket.Grains.Paging;

namespace CoopMarket.Grains.Participants;

/// <summary>A buyer: its profile and the index of its requests and deals.</summary>
public interface IBuyerGrain : IParticipantGrain<BuyerProfile>
{
    /// <summary>Marks the buyer verified by the district office, lifting the limits of a self-registered buyer.</summary>
    Task<BuyerProfile?> VerifyAsync();

    /// <summary>The buyer's requests, newest first.</summary>
    Task<IdPage> GetRequestIdsAsync(PageRequest page);
}
