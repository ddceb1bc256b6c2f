namespace CoopMarket.Grains.Market;

internal sealed class DealGrain(
    [PersistentState("deal")] IPersistentState<DealState> state) : Grain, IDealGrain
{
    Task<Deal?> IDealGrain.GetAsync() => Task.FromResult(state.State.Deal);

    async Task IDealGrain.RecordAsync(Deal deal)
    {
        if (state.State.Deal is null)
        {
            await state.WriteAsync(new DealState { Deal = deal });
        }
    }
}
