using CoopMarket.Grains.Market;

namespace CoopMarket.Grains.Participants;

/// <summary>What every registered participant keeps about its registration: the profile, the body it was registered
/// with (to tell a retry from a reused idempotency key), and its API key's hash.</summary>
[GenerateSerializer]
internal sealed class Enrolment<TProfile>
    where TProfile : class
{
    [Id(0)] public TProfile? Profile { get; set; }
    [Id(1)] public string? BodyHash { get; set; }
    [Id(2)] public string? KeyHash { get; set; }
    [Id(3)] public HashSet<string> RotationKeys { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The answer to a registration of a participant that exists already, or null when it does not.</summary>
    public CommandResult<TProfile>? AnswerRetry(string bodyHash) => Profile is null
        ? null
        : BodyHash == bodyHash ? new(CommandOutcome.Replayed, Profile) : new(CommandOutcome.KeyReused, null);

    public void Register(TProfile profile, string bodyHash, string keyHash) => (Profile, BodyHash, KeyHash) = (profile, bodyHash, keyHash);

    /// <summary>Sets the key hash unless this rotation was made already; returns whether anything changed.</summary>
    public bool ReplaceKey(string? keyHash, string? idempotencyKey)
    {
        if (idempotencyKey is not null && !RotationKeys.Add(idempotencyKey))
        {
            return false;
        }

        KeyHash = keyHash;
        return true;
    }
}
