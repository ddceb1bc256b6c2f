namespace CoopMarket.Grains.Participants;

internal sealed class RegistryGrain(
    [PersistentState("registry")] IPersistentState<RegistryState> state) : Grain, IRegistryGrain
{
    async Task IRegistryGrain.AddAsync(string id)
    {
        if (state.State.Ids.Add(id))
        {
            await state.WriteStateAsync();
        }
    }

    Task<IReadOnlyList<string>> IRegistryGrain.ListAsync() => Task.FromResult<IReadOnlyList<string>>([.. state.State.Ids]);
}
