namespace CoopMarket.Grains.Participants;

[GenerateSerializer, Immutable]
internal sealed record BuyerAllowanceState
{
    /// <summary>What each request holds: its grams not yet final (see <see cref="IBuyerAllowanceGrain.ReleaseAsync"/>); a
    /// request leaves once every gram is delivered or left unfilled by its closing.</summary>
    [Id(0)] public IReadOnlyDictionary<string, Reservation> Reserved { get; init; } = new Dictionary<string, Reservation>(StringComparer.Ordinal);
}

/// <param name="Confirmed">Whether the market's projection has spoken of the request, so it was surely placed.</param>
[GenerateSerializer, Immutable]
internal sealed record Reservation(
    [property: Id(0)] long Grams,
    [property: Id(1)] string Product,
    [property: Id(2)] DateTimeOffset At,
    [property: Id(3)] bool Confirmed);
