using CoopMarket.Grains.Market;

namespace CoopMarket.Grains.Participants;

internal sealed class CooperativeGrain(
    [PersistentState("cooperative")] IPersistentState<CooperativeState> state) : Grain, ICooperativeGrain
{
    async Task<CommandResult<CooperativeProfile>> ICooperativeGrain.RegisterAsync(CooperativeProfile profile, string bodyHash, string keyHash)
    {
        if (state.State.Enrolment.AnswerRetry(bodyHash) is { } retry)
        {
            return retry;
        }

        state.State.Enrolment.Register(profile, bodyHash, keyHash);
        await state.WriteStateAsync();
        await GrainFactory.GetGrain<IRegistryGrain>(IRegistryGrain.Cooperatives).AddAsync(profile.Id);
        return new(CommandOutcome.Done, profile);
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

        if (state.State.Enrolment.ReplaceKey(keyHash, idempotencyKey))
        {
            await state.WriteStateAsync();
        }

        return true;
    }

    Task<IReadOnlyList<ChainMembership>> ICooperativeGrain.GetChainsAsync() =>
        Task.FromResult<IReadOnlyList<ChainMembership>>([.. state.State.Chains]);

    async Task ICooperativeGrain.JoinChainAsync(ChainMembership membership)
    {
        state.State.Chains.RemoveAll(c => c.ValueChainId == membership.ValueChainId);
        state.State.Chains.Add(membership);
        await state.WriteStateAsync();
    }

    Task<IReadOnlyList<string>> ICooperativeGrain.GetLotIdsAsync() => Task.FromResult<IReadOnlyList<string>>([.. state.State.LotIds]);

    Task<IReadOnlyList<string>> ICooperativeGrain.GetDealIdsAsync() => Task.FromResult<IReadOnlyList<string>>([.. state.State.DealIds]);

    async Task ICooperativeGrain.IndexAsync(IReadOnlyList<string> lotIds, IReadOnlyList<string> dealIds)
    {
        if (Index.AddNew(state.State.LotIds, lotIds) | Index.AddNew(state.State.DealIds, dealIds))
        {
            await state.WriteStateAsync();
        }
    }
}
