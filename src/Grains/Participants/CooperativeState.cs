namespace CoopMarket.Grains.Participants;

[GenerateSerializer]
internal sealed class CooperativeState
{
    [Id(0)] public CooperativeProfile? Profile { get; set; }
    [Id(1)] public string? BodyHash { get; set; }
    [Id(9)] public string? KeyHash { get; set; }
    [Id(10)] public HashSet<string> RotationKeys { get; set; } = new(StringComparer.Ordinal);
    [Id(2)] public List<ChainMembership> Chains { get; set; } = [];
    [Id(3)] public List<string> LotIds { get; set; } = [];
    [Id(4)] public List<string> DealIds { get; set; } = [];
}
