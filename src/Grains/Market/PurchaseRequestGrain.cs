using CoopMarket.Grains.Paging;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace CoopMarket.Grains.Market;

// A season makes hundreds of thousands of these, each read a few times around its deal and rarely after: two idle
// minutes, not Orleans' default fifteen, keep a silo's memory to the records in use. Most are woken only to claim an
// idempotency key and take the market's projection; those leave a moment after (see UnreadActivation).
[CollectionAgeLimit(Minutes = 2)]
internal sealed class PurchaseRequestGrain(
    [PersistentState("request")] IPersistentState<PurchaseRequestState> state,
    [FromKeyedServices("Default")] IGrainStorage storage) : Grain, IPurchaseRequestGrain
{
    private const string DealsIndex = "deals";
    private readonly UnreadActivation activation = new();
    private IdPageStore Pages => new(storage, $"request/{this.GetPrimaryKeyString()}");

    Task<RequestView?> IPurchaseRequestGrain.GetAsync() => activation.Read(state.State.View);

    async Task<Claim> IPurchaseRequestGrain.ClaimAsync(string bodyHash)
    {
        activation.Called();
        var claim = RecordClaims.Answer(state.State.BodyHash, state.State.Receipt, bodyHash);
        if (state.State.BodyHash is null)
        {
            await state.WriteAsync(state.State with { BodyHash = bodyHash }, this);
        }

        return claim;
    }

    Task<IdPage> IPurchaseRequestGrain.GetDealIdsAsync(PageRequest page) =>
        activation.Read(Pages.ReadAsync(DealsIndex, state.State.Deals, page));

    async Task IPurchaseRequestGrain.ApplyAsync(IReadOnlyList<RequestChange> changes)
    {
        activation.Called();

        // Folded in memory and stored once, as a lot's record does (SupplyLotGrain).
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
            next = next with
            {
                View = new RequestView(change.Terms, change.FilledGrams, change.RemainingGrams, change.Status,
                    next.Deals.Count + newDealIds.Count, change.Version),
                Receipt = next.Receipt ?? change.Receipt,
                BodyHash = next.BodyHash ?? change.BodyHash,
            };
        }

        if (!ReferenceEquals(next, current))
        {
            await state.WriteAsync(next with { Deals = await Pages.AppendAsync(DealsIndex, current.Deals, newDealIds) }, this);
        }

        // As a deal's record does (DealGrain.RecordAsync): an activation no reader has used is the writers' alone.
        activation.Written(this);
    }
}
