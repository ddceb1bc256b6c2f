namespace CoopMarket.Grains.Participants;

[GenerateSerializer, Immutable]
internal sealed record BuyerState : IParticipantState<BuyerProfile, BuyerState>
{
    [Id(0)] public Enrolment<BuyerProfile> Enrolment { get; init; } = new();

    /// <summary>Its requests (<see cref="MarketIndexes.Posts"/>) and deals.</summary>
    [Id(1)] public MarketIndexes Indexes { get; init; } = new();

    public BuyerState With(Enrolment<BuyerProfile> enrolment) => this with { Enrolment = enrolment };

    public BuyerState With(MarketIndexes indexes) => this with { Indexes = indexes };
}
