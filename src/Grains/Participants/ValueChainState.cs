namespace CoopMarket.Grains.Participants;

[GenerateSerializer]
internal sealed class ValueChainState
{
    [Id(0)] public ValueChain? Chain { get; set; }
    [Id(1)] public string? BodyHash { get; set; }
    [Id(2)] public Dictionary<string, string> MemberKeys { get; set; } = new(StringComparer.Ordinal);
}
