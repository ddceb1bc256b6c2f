namespace CoopMarket.Grains.Participants;

[GenerateSerializer, Immutable]
internal sealed record CooperativeState : IParticipantState<CooperativeProfile, CooperativeState>
{
    [Id(0)] public Enrolment<CooperativeProfile> Enrolment { get; init; } = new();
    [Id(1)] public IReadOnlyList<ChainMembership> Chains { get; init; } = [];

    /// <summary>Its lots (<see cref="MarketIndexes.Posts"/>) and deals.</summary>
    [Id(2)] public MarketIndexes Indexes { get; init; } = new();

    public CooperativeState With(Enrolment<CooperativeProfile> enrolment) => this with { Enrolment = enrolment };

    public CooperativeState With(MarketIndexes indexes) => this with { Indexes = indexes };
}
