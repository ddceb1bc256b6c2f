namespace CoopMarket.Grains.Participants;

/// <summary>The part of a participant's stored state that <see cref="ParticipantGrain{TProfile, TState}"/> looks after;
/// each kind keeps its own record, so what is stored keeps its layout.</summary>
internal interface IParticipantState<TProfile, TState>
    where TProfile : class
    where TState : IParticipantState<TProfile, TState>
{
    Enrolment<TProfile> Enrolment { get; }

    MarketIndexes Indexes { get; }

    TState With(Enrolment<TProfile> enrolment);

    TState With(MarketIndexes indexes);
}
