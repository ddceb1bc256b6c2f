using CoopMarket.Grains.Market;
using CoopMarket.Grains.Paging;

namespace CoopMarket.Grains.Participants;

/// <summary>A cooperative: its profile, its value chains, and the index of its lots and deals.</summary>
public interface ICooperativeGrain : IGrainWithStringKey
{
    /// <summary>Registers the cooperative once; the same body again is a replay, another body is refused.</summary>
    /// <remarks>Only the hash of the participant's API key is stored; the key itself is shown once, to the caller.</remarks>
    Task<CommandResult<CooperativeProfile>> RegisterAsync(CooperativeProfile profile, string bodyHash, string keyHash);

    /// <summary>The key hash and verification that authenticate the participant; null for an unknown participant.</summary>
    Task<Credential?> GetCredentialAsync();

    /// <summary>Replaces the key hash (a rotation) or, with null, revokes every key; false for an unknown participant.
    /// A rotation retried with the same <paramref name="idempotencyKey"/> changes nothing, even after later rotations.</summary>
    Task<bool> ReplaceKeyAsync(string? keyHash, string? idempotencyKey);

    Task<CooperativeProfile?> GetAsync();

    Task<IReadOnlyList<ChainMembership>> GetChainsAsync();

    /// <summary>Records membership of a value chain; its lots from then on belong to the chain.</summary>
    Task JoinChainAsync(ChainMembership membership);

    /// <summary>The participant's lots, newest first.</summary>
    Task<IdPage> GetLotIdsAsync(PageRequest page);

    /// <summary>The participant's deals, newest first.</summary>
    Task<IdPage> GetDealIdsAsync(PageRequest page);

    /// <summary>Indexes a lot and deals of this cooperative. <paramref name="entry"/> is the journal entry of <paramref name="product"/>'s
    /// market that made them: an entry already indexed changes nothing, so the market may send it again.</summary>
    Task IndexAsync(string product, long entry, IReadOnlyList<string> lotIds, IReadOnlyList<string> dealIds);
}
