namespace CoopMarket.Grains.Participants;

[GenerateSerializer, Immutable]
internal sealed record AutoConfirmState
{
    [Id(0)] public AutoConfirmRules Rules { get; init; } = AutoConfirmRules.None;

    /// <summary>The products whose markets have not yet taken <see cref="Rules"/>.</summary>
    [Id(1)] public IReadOnlyList<string> Unsent { get; init; } = [];
}
