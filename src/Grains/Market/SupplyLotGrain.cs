using CoopMarket.Grains.Paging;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace CoopMarket.Grains.Market;

// A season makes hundreds of thousands of these, each read a few times around its deal and rarely after: two idle
// minutes, not Orleans' default fifteen, keep a silo's memory to the records in use. Most are woken only to claim an
// idempotency key and take the market's projection of the lot's sales; those leave a moment after (see UnreadActivation).
[CollectionAgeLimit(Minutes = 2)]
internal sealed class SupplyLotGrain(
    [PersistentState("lot")] IPersistentState<SupplyLotState> state,
    [FromKeyedServices("Default")] IGrainStorage storage) : Grain, ISupplyLotGrain
{
    private const string DealsIndex = "deals";
    private const string ShortfallState = "shortfall";
    private readonly UnreadActivation activation = new();
    private IdPageStore Pages => new(storage, $"lot/{this.GetPrimaryKeyString()}");

    Task<LotView?> ISupplyLotGrain.GetAsync() => activation.Read(state.State.View);

    async Task<Claim> ISupplyLotGrain.ClaimAsync(string bodyHash)
    {
        activation.Called();
        var claim = RecordClaims.Answer(state.State.BodyHash, state.State.Receipt, bodyHash);
        if (state.State.BodyHash is null)
        {
            await state.WriteAsync(state.State with { BodyHash = bodyHash }, this);
        }

        return claim;
    }

    async Task<LotShortfall?> ISupplyLotGrain.FindShortfallAsync(string key)
    {
        activation.Called();
        if (state.State.Shortfalls.FirstOrDefault(s => s.Key == key) is { } listed)
        {
            return listed;
        }

        var record = new GrainState<LotShortfall>();
        await storage.ReadStateAsync(ShortfallState, ShortfallId(key), record);
        return record.RecordExists ? record.State : null;
    }

    Task<IdPage> ISupplyLotGrain.GetDealIdsAsync(PageRequest page) =>
        activation.Read(Pages.ReadAsync(DealsIndex, state.State.Deals, page));

    async Task ISupplyLotGrain.ApplyAsync(IReadOnlyList<LotChange> changes)
    {
        activation.Called();

        // Folded in memory and stored once: a shared journal write fills many requests from one lot, and a write per
        // change would cost the lot's record as many round trips as the write had entries.
        var current = state.State;
        var next = current;
        var newDealIds = new List<string>();
        foreach (var change in changes)
        {
            if (next.View is { } view && view.Version >= change.Version)
            {
                continue;
            }

            newDealIds.AddRange(change.NewDealIds);
            if (change.Shortfall is { Key: { } key } shortfall)
            {
                await RecordShortfallAsync(key, shortfall);
            }

            next = next with
            {
                View = new LotView(change.Terms, change.RemainingGrams, change.Status, next.Deals.Count + newDealIds.Count, change.Version,
                    (next.View?.ReturnedGrams ?? 0) + change.ReturnedGrams,
                    (next.View?.ShortfallGrams ?? 0) + change.ShortfallGrams,
                    (next.View?.UndeliveredGrams ?? 0) + change.UndeliveredGrams),
                Receipt = next.Receipt ?? change.Receipt,
                BodyHash = next.BodyHash ?? change.BodyHash,
            };
        }

        if (!ReferenceEquals(next, current))
        {
            // The pages that fill are sealed once for all the new ids, before the record that counts them.
            await state.WriteAsync(next with { Deals = await Pages.AppendAsync(DealsIndex, current.Deals, newDealIds) }, this);
        }

        // As a request's record does: a lot posted and sold a few kilograms at a time is written now and then, and kept
        // two idle minutes after each write, the lots of a busy season held a silo's memory and its collector's work.
        activation.Written(this);
    }

    /// <summary>Keeps a keyed shortfall for its retries in a record of its own, before the lot's record counts it: a lot
    /// may fall short many times, and a list inside the lot's record would make every later write of it longer.</summary>
    /// <remarks>The record exists when a write of it landed before the lot's own write failed; the journal entry that
    /// carries it is the same each time, so the record already holds this shortfall.</remarks>
    private async Task RecordShortfallAsync(string key, LotShortfall shortfall)
    {
        try
        {
            await storage.WriteStateAsync(ShortfallState, ShortfallId(key), new GrainState<LotShortfall>(shortfall));
        }
        catch (InconsistentStateException)
        {
            // Written by an earlier attempt at this entry.
        }
    }

    private GrainId ShortfallId(string key) => GrainId.Create("coopmarket-lot-shortfall", $"{this.GetPrimaryKeyString()}/{key}");
}
