using CoopMarket.Grains.Trace;

namespace CoopMarket.Grains.Market;

// A season makes hundreds of thousands of these, each read a few times around its deal and rarely after: two idle
// minutes, not Orleans' default fifteen, keep a silo's memory to the records in use. Most are woken only by the market
// projecting a deal's entries to them; those leave a moment after (see UnreadActivation).
[CollectionAgeLimit(Minutes = 2)]
internal sealed class DealGrain(
    [PersistentState("deal")] IPersistentState<DealState> state) : Grain, IDealGrain
{
    private readonly UnreadActivation activation = new();

    Task<Deal?> IDealGrain.GetAsync() => activation.Read(state.State.Deal);

    async Task IDealGrain.RecordAsync(Deal? deal, IReadOnlyList<DealChange> steps)
    {
        activation.Called();
        var current = state.State;
        var next = current.Deal is null && deal is not null ? current with { Deal = deal } : current;
        foreach (var change in steps)
        {
            if (change.Version <= next.Version)
            {
                continue;
            }

            // The market projects a deal's entries to its record in journal order, so the deal's own entry came first;
            // a record without it was lost, and failing here keeps these steps queued, and reported, until it is rebuilt.
            var made = next.Deal ?? throw new InvalidOperationException($"Deal {change.DealId} has no record to change.");
            next = next with { Deal = made.After(change), Version = change.Version, Steps = [.. next.Steps, change] };
        }

        if (!ReferenceEquals(next, current))
        {
            await state.WriteAsync(next, this);
        }

        foreach (var issued in steps.Select(c => c.TraceCode).Prepend(deal?.TraceCode).Distinct())
        {
            await RegisterTraceCodeAsync(issued);
        }

        // An activation nobody has read is the projection's alone, and its record is stored: a reader that comes later
        // wakes it from storage.
        activation.Written(this);
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

    Task<IReadOnlyList<DealChange>> IDealGrain.GetStepsAsync() => activation.Read(state.State.Steps);

    Task<DealChange?> IDealGrain.FindStepAsync(string status, string key) =>
        activation.Read(state.State.Steps.FirstOrDefault(s => s.Status == status && s.Key == key));
}
