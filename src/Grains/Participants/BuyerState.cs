namespace CoopMarket.Grains.Participants;

[GenerateSerializer]
internal sealed class BuyerState
{
    [Id(0)] public BuyerProfile? Profile { get; set; }
    [Id(1)] public string? BodyHash { get; set; }
    [Id(9)] public string? KeyHash { get; set; }
    [Id(10)] public HashSet<string> RotationKeys { get; set; } = new(StringComparer.Ordinal);
    [Id(2)] public List<string> RequestIds { get; set; } = [];
    [Id(3)] public List<string> DealIds { get; set; } = [];
}
