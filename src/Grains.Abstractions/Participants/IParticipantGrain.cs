using CoopMarket.Grains.Market;
using CoopMarket.Grains.Paging;

namespace CoopMarket.Grains.Participants;

/// <summary>What every participant, cooperative or buyer, keeps: its registration, its API key, and the index of what
/// it posted (lots or requests) and of its deals.</summary>
public interface IParticipantGrain<TProfile> : IGrainWithStringKey
    where TProfile : class
{
    /// <summary>Registers the participant once; the same body again is a replay, another body is refused.</summary>
    /// <remarks>Only the hash of the participant's API key is stored; the key itself is shown once, to the caller.</remarks>
    Task<CommandResult<TProfile>> RegisterAsync(TProfile profile, string bodyHash, string keyHash);

    Task<TProfile?> GetAsync();

    /// <summary>The key hash and verification that authenticate the participant, with its profile, in one read: a
    /// request authenticates as the participant and then acts as it. Null for an unknown participant.</summary>
    Task<Account<TProfile>?> GetAccountAsync();

    /// <summary>Replaces the key hash (a rotation) or, with null, revokes every key; false for an unknown participant.
    /// A rotation retried with the same <paramref name="idempotencyKey"/> changes nothing, even after later rotations.</summary>
    Task<bool> ReplaceKeyAsync(string? keyHash, string? idempotencyKey);

    /// <summary>The participant's deals, newest first.</summary>
    Task<IdPage> GetDealIdsAsync(PageRequest page);

    /// <summary>Indexes what the participant posted (lots or requests) and its deals, entry by entry of
    /// <paramref name="product"/>'s market in journal order, storing the index once for all: an entry already indexed
    /// changes nothing, so the market may send it again.</summary>
    Task IndexAsync(string product, IReadOnlyList<IndexedEntry> entries);
}
