using CoopMarket.Grains.Market;

namespace CoopMarket.Grains.Participants;

internal sealed class BuyerGrain(
    [PersistentState("buyer")] IPersistentState<BuyerState> state) : Grain, IBuyerGrain
{
    async Task<CommandResult<BuyerProfile>> IBuyerGrain.RegisterAsync(BuyerProfile profile, string bodyHash, string keyHash)
    {
        if (state.State.Profile is { } existing)
        {
            return state.State.BodyHash == bodyHash
                ? new(CommandOutcome.Replayed, existing)
                : new(CommandOutcome.KeyReused, null);
        }

        state.State.Profile = profile;
        state.State.BodyHash = bodyHash;
        state.State.KeyHash = keyHash;
        await state.WriteStateAsync();
        await GrainFactory.GetGrain<IRegistryGrain>(IRegistryGrain.Buyers).AddAsync(profile.Id);
        return new(CommandOutcome.Done, profile);
    }

    Task<BuyerProfile?> IBuyerGrain.GetAsync() => Task.FromResult(state.State.Profile);

    Task<Credential?> IBuyerGrain.GetCredentialAsync() =>
        Task.FromResult(state.State.Profile is null ? null : new Credential(state.State.KeyHash, state.State.Profile.Verified));

    async Task<bool> IBuyerGrain.ReplaceKeyAsync(string? keyHash, string? idempotencyKey)
    {
        if (state.State.Profile is null)
        {
            return false;
        }

        if (idempotencyKey is not null && !state.State.RotationKeys.Add(idempotencyKey))
        {
            return true;
        }

        state.State.KeyHash = keyHash;
        await state.WriteStateAsync();
        return true;
    }

    async Task<BuyerProfile?> IBuyerGrain.VerifyAsync()
    {
        if (state.State.Profile is { Verified: false } profile)
        {
            state.State.Profile = profile with { Verified = true };
            await state.WriteStateAsync();
        }

        return state.State.Profile;
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
