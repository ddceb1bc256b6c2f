using CoopMarket.Grains.Paging;

namespace CoopMarket.Grains.Participants;

/// <summary>The ids of every registered participant of one kind, for listing them.</summary>
/// <remarks>Keys: <see cref="Cooperatives"/>, <see cref="Buyers"/>, <see cref="ValueChains"/>.</remarks>
public interface IRegistryGrain : IGrainWithStringKey
{
    const string Cooperatives = "cooperatives";
    const string Buyers = "buyers";
    const string ValueChains = "value-chains";

    /// <summary>Adds an id; adding it again changes nothing.</summary>
    Task AddAsync(string id);

    /// <summary>Ids, newest first.</summary>
    Task<IdPage> ListAsync(PageRequest page);
}
