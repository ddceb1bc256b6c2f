namespace CoopMarket.Grains.Participants;

/// <summary>What a request holds of its buyer's allowance after a market entry: its grams not yet final.</summary>
[GenerateSerializer, Immutable]
public sealed record RequestHold([property: Id(0)] string RequestId, [property: Id(1)] long Grams);
