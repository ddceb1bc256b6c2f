using CoopMarket.Grains.Market;
using CoopMarket.Grains.Paging;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace CoopMarket.Grains.Participants;

internal sealed class CooperativeGrain(
    [PersistentState("cooperative")] IPersistentState<CooperativeState> state,
    [FromKeyedServices("Default")] IGrainStorage storage) : Grain, ICooperativeGrain
{
    private IdPageStore Pages => new(storage, $"cooperative/{this.GetPrimaryKeyString()}");

    async Task<CommandResult<CooperativeProfile>> ICooperativeGrain.RegisterAsync(CooperativeProfile profile, string bodyHash, string keyHash)
    {
        var enrolment = state.State.Enrolment;
        if (enrolment.AnswerRetry(bodyHash) is not { } answer)
        {
            enrolment = enrolment.Register(profile, bodyHash, keyHash);
            await state.WriteAsync(state.State with { Enrolment = enrolment }, this);
            answer = new(CommandOutcome.Done, profile);
        }

        if (answer.Outcome != CommandOutcome.KeyReused && !enrolment.Listed)
        {
            await GrainFactory.GetGrain<IRegistryGrain>(IRegistryGrain.Cooperatives).AddAsync(profile.Id);
            await state.WriteAsync(state.State with { Enrolment = enrolment with { Listed = true } }, this);
        }

        return answer;
    }

    Task<CooperativeProfile?> ICooperativeGrain.GetAsync() => Task.FromResult(state.State.Enrolment.Profile);

    Task<Credential?> ICooperativeGrain.GetCredentialAsync() =>
        Task.FromResult(state.State.Enrolment.Profile is null ? null : new Credential(state.State.Enrolment.KeyHash, true));

    async Task<bool> ICooperativeGrain.ReplaceKeyAsync(string? keyHash, string? idempotencyKey)
    {
        if (state.State.Enrolment.Profile is null)
        {
            return false;
        }

        if (state.State.Enrolment.ReplaceKey(keyHash, idempotencyKey) is { } replaced)
        {
            await state.WriteAsync(state.State with { Enrolment = replaced }, this);
        }

        return true;
    }

    Task<IReadOnlyList<ChainMembership>> ICooperativeGrain.GetChainsAsync() => Task.FromResult(state.State.Chains);

    async Task ICooperativeGrain.JoinChainAsync(ChainMembership membership)
    {
        if (!state.State.Chains.Contains(membership))
        {
            await state.WriteAsync(state.State with
            {
                Chains = [.. state.State.Chains.Where(c => c.ValueChainId != membership.ValueChainId), membership],
            }, this);
        }
    }

    Task<IdPage> ICooperativeGrain.GetLotIdsAsync(PageRequest page) => Pages.ReadAsync(MarketIndexes.PostsIndex, state.State.Indexes.Posts, page);

    Task<IdPage> ICooperativeGrain.GetDealIdsAsync(PageRequest page) => Pages.ReadAsync(MarketIndexes.DealsIndex, state.State.Indexes.Deals, page);

    async Task ICooperativeGrain.IndexAsync(string product, long entry, IReadOnlyList<string> lotIds, IReadOnlyList<string> dealIds)
    {
        if (await state.State.Indexes.AddAsync(Pages, product, entry, lotIds, dealIds) is { } indexes)
        {
            await state.WriteAsync(state.State with { Indexes = indexes }, this);
        }
    }
}
