using CoopMarket.Grains.Market;

namespace CoopMarket.Grains.Participants;

internal sealed class BuyerGrain(
    [PersistentState("buyer")] IPersistentState<BuyerState> state) : Grain, IBuyerGrain
{
    async Task<CommandResult<BuyerProfile>> IBuyerGrain.RegisterAsync(BuyerProfile profile, string bodyHash)
    {
        if (state.State.Profile is { } existing)
        {
            return state.State.BodyHash == bodyHash
                ? new(CommandOutcome.Replayed, existing)
                : new(CommandOutcome.KeyReused, null);
        }

        state.State.Profile = profile;
        state.State.BodyHash = bodyHash;
        await state.WriteStateAsync();
        await GrainFactory.GetGrain<IRegistryGrain>(IRegistryGrain.Buyers).AddAsync(profile.Id);
        return new(CommandOutcome.Done, profile);
    }

    Task<BuyerProfile?> IBuyerGrain.GetAsync() => Task.FromResult(state.State.Profile);

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
