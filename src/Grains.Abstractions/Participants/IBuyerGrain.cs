using CoopMarket.Grains.Market;
using CoopMarket.Grains.Paging;

namespace CoopMarket.Grains.Participants;

/// <summary>A buyer: its profile and the index of its requests and deals.</summary>
public interface IBuyerGrain : IGrainWithStringKey
{
    /// <summary>Registers the buyer once; the same body again is a replay, another body is refused.</summary>
    /// <remarks>Only the hash of the participant's API key is stored; the key itself is shown once, to the caller.</remarks>
    Task<CommandResult<BuyerProfile>> RegisterAsync(BuyerProfile profile, string bodyHash, string keyHash);

    /// <summary>The key hash and verification that authenticate the participant; null for an unknown participant.</summary>
    Task<Credential?> GetCredentialAsync();

    /// <summary>Replaces the key hash (a rotation) or, with null, revokes every key; false for an unknown participant.
    /// A rotation retried with the same <paramref name="idempotencyKey"/> changes nothing, even after later rotations.</summary>
    Task<bool> ReplaceKeyAsync(string? keyHash, string? idempotencyKey);

    Task<BuyerProfile?> GetAsync();

    /// <summary>Marks the buyer verified by the district office, lifting the limits of a self-registered buyer.</summary>
    Task<BuyerProfile?> VerifyAsync();

    /// <summary>The participant's requests, newest first.</summary>
    Task<IdPage> GetRequestIdsAsync(PageRequest page);

    /// <summary>The participant's deals, newest first.</summary>
    Task<IdPage> GetDealIdsAsync(PageRequest page);

    /// <summary>Indexes requests and deals of this buyer. <paramref name="entry"/> is the journal entry of <paramref name="product"/>'s
    /// market that made them: an entry already indexed changes nothing, so the market may send it again.</summary>
    Task IndexAsync(string product, long entry, IReadOnlyList<string> requestIds, IReadOnlyList<string> dealIds);
}
