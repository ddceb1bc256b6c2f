namespace CoopMarket.Grains.Participants;

[GenerateSerializer]
internal sealed class RegistryState
{
    [Id(0)] public SortedSet<string> Ids { get; set; } = new(StringComparer.Ordinal);
}
