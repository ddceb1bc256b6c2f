using CoopMarket.Grains.Market;
using CoopMarket.Grains.Paging;
using Orleans.Storage;

namespace CoopMarket.Grains.Participants;

/// <summary>Registration, API key and indexes, kept the same way for cooperatives and buyers.</summary>
/// <param name="registry">The <see cref="IRegistryGrain"/> that lists participants of this kind.</param>
/// <param name="pagePrefix">Where this kind's sealed index pages are stored, before the participant's id.</param>
internal abstract class ParticipantGrain<TProfile, TState>(
    IPersistentState<TState> state, IGrainStorage storage, string registry, string pagePrefix) : Grain, IParticipantGrain<TProfile>
    where TProfile : class
    where TState : class, IParticipantState<TProfile, TState>
{
    /// <summary>The participant's state, for what each kind keeps besides (a cooperative's chains, a buyer's verification).</summary>
    protected IPersistentState<TState> State => state;

    private IdPageStore Pages => new(storage, $"{pagePrefix}/{this.GetPrimaryKeyString()}");

    /// <summary>Whether a key of this participant authenticates a verified participant.</summary>
    protected abstract bool IsVerified(TProfile profile);

    /// <summary>The value chains the participant belongs to, for its <see cref="Account{TProfile}"/>.</summary>
    protected virtual IReadOnlyList<ChainMembership> Chains => [];

    /// <summary>What the participant posted (lots or requests), newest first.</summary>
    protected Task<IdPage> GetPostIdsAsync(PageRequest page) => Pages.ReadAsync(MarketIndexes.PostsIndex, state.State.Indexes.Posts, page);

    async Task<CommandResult<TProfile>> IParticipantGrain<TProfile>.RegisterAsync(TProfile profile, string bodyHash, string keyHash)
    {
        var enrolment = state.State.Enrolment;
        if (enrolment.AnswerRetry(bodyHash) is not { } answer)
        {
            enrolment = enrolment.Register(profile, bodyHash, keyHash);
            await state.WriteAsync(state.State.With(enrolment), this);
            answer = new(CommandOutcome.Done, profile);
        }

        if (answer.Outcome != CommandOutcome.KeyReused && !enrolment.Listed)
        {
            await GrainFactory.GetGrain<IRegistryGrain>(registry).AddAsync(this.GetPrimaryKeyString());
            await state.WriteAsync(state.State.With(enrolment with { Listed = true }), this);
        }

        return answer;
    }

    Task<TProfile?> IParticipantGrain<TProfile>.GetAsync() => Task.FromResult(state.State.Enrolment.Profile);

    Task<Account<TProfile>?> IParticipantGrain<TProfile>.GetAccountAsync() =>
        Task.FromResult(state.State.Enrolment.Profile is { } profile
            ? new Account<TProfile>(new Credential(state.State.Enrolment.KeyHash, IsVerified(profile)), profile, Chains)
            : null);

    async Task<bool> IParticipantGrain<TProfile>.ReplaceKeyAsync(string? keyHash, string? idempotencyKey)
    {
        if (state.State.Enrolment.Profile is null)
        {
            return false;
        }

        if (state.State.Enrolment.ReplaceKey(keyHash, idempotencyKey) is { } replaced)
        {
            await state.WriteAsync(state.State.With(replaced), this);
        }

        return true;
    }

    Task<IdPage> IParticipantGrain<TProfile>.GetDealIdsAsync(PageRequest page) => Pages.ReadAsync(MarketIndexes.DealsIndex, state.State.Indexes.Deals, page);

    async Task IParticipantGrain<TProfile>.IndexAsync(string product, IReadOnlyList<IndexedEntry> entries)
    {
        if (await state.State.Indexes.AddAsync(Pages, product, entries) is { } indexes)
        {
            await state.WriteAsync(state.State.With(indexes), this);
        }
    }
}
