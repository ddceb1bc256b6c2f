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
            await state.WriteAsync(state.State with { Deal = deal }, this);
        }

        await RegisterTraceCodeAsync(deal.TraceCode);
    }

    async Task IDealGrain.ApplyAsync(DealChange change)
    {
        var current = state.State;
        if (current.Version >= change.Version)
        {
            await RegisterTraceCodeAsync(change.TraceCode);
            return;
        }

        // The market projects a deal's entries to its record in journal order, so the deal's own entry came first;
        // a record without it was lost, and failing here keeps this change queued, and reported, until it is rebuilt.
        var deal = current.Deal ?? throw new InvalidOperationException($"Deal {change.DealId} has no record to change.");
        await state.WriteAsync(current with { Deal = deal.After(change), Version = change.Version, Steps = [.. current.Steps, change] }, this);
        await RegisterTraceCodeAsync(change.TraceCode);
    }

    // Registered after the record is written, by the entry that issued the code (shipping) and by every replay of that
    // entry: a registration that failed is made when the projection carries the entry again (it retries a failed call
    // before any later one), and the steps after shipping, which issue no code, cost the trace grain nothing.
    private async Task RegisterTraceCodeAsync(string? issued)
    {
        if (issued is not null && state.State.Deal is { } deal && deal.TraceCode == issued)
        {
            await GrainFactory.GetGrain<ITraceGrain>(issued).RegisterAsync(deal.Id);
        }
    }

    Task<IReadOnlyList<DealChange>> IDealGrain.GetStepsAsync() => Task.FromResult(state.State.Steps);

    Task<DealChange?> IDealGrain.FindStepAsync(string status, string key) =>
        Task.FromResult(state.State.Steps.FirstOrDefault(s => s.Status == status && s.Key == key));
}
