using CoopMarket.Grains.Market;

namespace CoopMarket.Grains.Participants;

/// <summary>One value chain and its members.</summary>
public interface IValueChainGrain : IGrainWithStringKey
{
    /// <summary>Creates the chain once; the same body again is a replay, another body is refused.</summary>
    Task<CommandResult<ValueChain>> CreateAsync(ValueChain chain, string bodyHash);

    Task<ValueChain?> GetAsync();

    /// <summary>Adds a member, or changes its role; the cooperative learns of the membership too. An
    /// <paramref name="idempotencyKey"/> seen before answers the chain as it is with the same body, and refuses another.</summary>
    Task<CommandResult<ValueChain>> AddMemberAsync(ChainMember member, string? idempotencyKey, string bodyHash);
}
