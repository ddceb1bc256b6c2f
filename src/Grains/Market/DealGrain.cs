using CoopMarket.Grains.Trace;

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

        // Registered after the record is written, and again on every replay: a registration that failed is made when the
        // projection carries the deal again, and one that landed is not made twice.
        if (state.State.Deal?.TraceCode is { } code)
        {
            await GrainFactory.GetGrain<ITraceGrain>(code).RegisterAsync(state.State.Deal.Id);
        }
    }
}
