using CoopMarket.Grains.Market;

namespace CoopMarket.Grains.Participants;

internal sealed class BuyerGrain(
    [PersistentState("buyer")] IPersistentState<BuyerState> state) : Grain, IBuyerGrain
{
    async Task<CommandResult<BuyerProfile>> IBuyerGrain.RegisterAsync(BuyerProfile profile, string bodyHash, string keyHash)
    {
        if (state.State.Enrolment.AnswerRetry(bodyHash) is { } retry)
        {
            return retry;
        }

        state.State.Enrolment.Register(profile, bodyHash, keyHash);
        await state.WriteStateAsync();
        await GrainFactory.GetGrain<IRegistryGrain>(IRegistryGrain.Buyers).AddAsync(profile.Id);
        return new(CommandOutcome.Done, profile);
    }

    Task<BuyerProfile?> IBuyerGrain.GetAsync() => Task.FromResult(state.State.Enrolment.Profile);

    Task<Credential?> IBuyerGrain.GetCredentialAsync() =>
        Task.FromResult(state.State.Enrolment.Profile is null ? null : new Credential(state.State.Enrolment.KeyHash, state.State.Enrolment.Profile.Verified));

    async Task<bool> IBuyerGrain.ReplaceKeyAsync(string? keyHash, string? idempotencyKey)
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

    async Task<BuyerProfile?> IBuyerGrain.VerifyAsync()
    {
        if (state.State.Enrolment.Profile is { Verified: false } profile)
        {
            state.State.Enrolment.Profile = profile with { Verified = true };
            await state.WriteStateAsync();
        }

        return state.State.Enrolment.Profile;
    }

    Task<IReadOnlyList<string>> IBuyerGrain.GetRequestIdsAsync() => Task.FromResult<IReadOnlyList<string>>([.. state.State.RequestIds]);

    Task<IReadOnlyList<string>> IBuyerGrain.GetDealIdsAsync() => Task.FromResult<IReadOnlyList<string>>([.. state.State.DealIds]);

    async Task IBuyerGrain.IndexAsync(IReadOnlyList<string> requestIds, IReadOnlyList<string> dealIds)
    {
        if (Index.AddNew(state.State.RequestIds, requestIds) | Index.AddNew(state.State.DealIds, dealIds))
        {
            await state.WriteStateAsync();
        }
    }
}
