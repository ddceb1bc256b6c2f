namespace CoopMarket.Grains.Participants;

[GenerateSerializer, Immutable]
internal sealed record ValueChainState
{
    [Id(0)] public ValueChain? Chain { get; init; }
    [Id(1)] public string? BodyHash { get; init; }
    [Id(2)] public IReadOnlyDictionary<string, string> MemberKeys { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Whether the registry is known to list the chain; a creation retried before it is repairs it.</summary>
    [Id(3)] public bool Listed { get; init; }
}
