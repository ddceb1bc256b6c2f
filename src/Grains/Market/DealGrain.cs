namespace CoopMarket.Grains.Market;

// A season makes hundreds of thousands of these, each read a few times around its deal and rarely after: two idle
// minutes, not Orleans' default fifteen, keep a silo's memory to the records in use.
[CollectionAgeLimit(Minutes = 2)]
internal sealed class DealGrain(
    [PersistentState("deal")] IPersistentState<DealState> state) : Grain, IDealGrain
{
    Task<Deal?> IDealGrain.GetAsync() => Task.FromResult(state.State.Deal);

    async Task IDealGrain.RecordAsync(Deal deal)
    {
        if (state.State.Deal is null)
        {
            await state.WriteAsync(new DealState { Deal = deal }, this);
        }
    }
}
