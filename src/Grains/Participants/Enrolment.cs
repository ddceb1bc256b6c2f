using CoopMarket.Grains.Market;

namespace CoopMarket.Grains.Participants;

/// <summary>What every registered participant keeps about its registration: the profile, the body it was registered
/// with (to tell a retry from a reused idempotency key), its API key's hash, and whether the registry lists it.</summary>
[GenerateSerializer, Immutable]
internal sealed record Enrolment<TProfile>
    where TProfile : class
{
    [Id(0)] public TProfile? Profile { get; init; }
    [Id(1)] public string? BodyHash { get; init; }
    [Id(2)] public string? KeyHash { get; init; }
    [Id(3)] public IReadOnlySet<string> RotationKeys { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Whether the registry is known to list the participant; a registration retried before it is repairs it.</summary>
    [Id(4)] public bool Listed { get; init; }

    /// <summary>The answer to a registration of a participant that exists already, or null when it does not.</summary>
    public CommandResult<TProfile>? AnswerRetry(string bodyHash) => Profile is null
        ? null
        : BodyHash == bodyHash ? new(CommandOutcome.Replayed, Profile) : new(CommandOutcome.KeyReused, null);

    public Enrolment<TProfile> Register(TProfile profile, string bodyHash, string keyHash) =>
        this with { Profile = profile, BodyHash = bodyHash, KeyHash = keyHash, Listed = false };

    /// <summary>The enrolment with the key hash replaced, or null when this rotation was made already.</summary>
    public Enrolment<TProfile>? ReplaceKey(string? keyHash, string? idempotencyKey)
    {
        if (idempotencyKey is not null && RotationKeys.Contains(idempotencyKey))
        {
            return null;
        }

        var rotations = idempotencyKey is null
            ? RotationKeys
            : new HashSet<string>(RotationKeys, StringComparer.Ordinal) { idempotencyKey };
        return this with { KeyHash = keyHash, RotationKeys = rotations };
    }
}
