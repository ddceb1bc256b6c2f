namespace CoopMarket.Grains.Participants;

[GenerateSerializer, Immutable]
internal sealed record BuyerAllowanceState
{
    /// <summary>Grams still reserved per open request; a request leaves once filled, cancelled or expired.</summary>
    [Id(0)] public IReadOnlyDictionary<string, long> Reserved { get; init; } = new Dictionary<string, long>(StringComparer.Ordinal);
}
