namespace CoopMarket.Grains.Participants;

/// <summary>What one read of a participant gives the gateway: the credential that authenticates its request and the
/// view the command it carries needs (its profile, and a cooperative's value chains), so a command does not ask the
/// participant's grain a second time.</summary>
/// <param name="Chains">The value chains a cooperative belongs to; a buyer belongs to none.</param>
[GenerateSerializer, Immutable]
public sealed record Account<TProfile>(
    [property: Id(0)] Credential Credential,
    [property: Id(1)] TProfile Profile,
    [property: Id(2)] IReadOnlyList<ChainMembership> Chains)
    where TProfile : class;
