using CoopMarket.Grains.Paging;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace CoopMarket.Grains.Market;

// A season makes hundreds of thousands of these, each read a few times around its deal and rarely after: two idle
// minutes, not Orleans' default fifteen, keep a silo's memory to the records in use.
[CollectionAgeLimit(Minutes = 2)]
internal sealed class PurchaseRequestGrain(
    [PersistentState("request")] IPersistentState<PurchaseRequestState> state,
    [FromKeyedServices("Default")] IGrainStorage storage) : Grain, IPurchaseRequestGrain
{
    private const string DealsIndex = "deals";
    private IdPageStore Pages => new(storage, $"request/{this.GetPrimaryKeyString()}");

    Task<RequestView?> IPurchaseRequestGrain.GetAsync() => Task.FromResult(state.State.View);

    async Task<Claim> IPurchaseRequestGrain.ClaimAsync(string bodyHash)
    {
        var claim = RecordClaims.Answer(state.State.BodyHash, state.State.Receipt, bodyHash);
        if (state.State.BodyHash is null)
        {
            await state.WriteAsync(state.State with { BodyHash = bodyHash }, this);
        }

        return claim;
    }

    Task<IdPage> IPurchaseRequestGrain.GetDealIdsAsync(PageRequest page) => Pages.ReadAsync(DealsIndex, state.State.Deals, page);

    async Task<RequestView?> IPurchaseRequestGrain.ApplyAsync(RequestChange change)
    {
        var current = state.State;
        if (current.View is { } view && view.Version >= change.Version)
        {
            return view;
        }

        var (deals, sealedPages) = current.Deals.Append(change.NewDealIds);
        await Pages.SealAsync(DealsIndex, sealedPages);
        await state.WriteAsync(current with
        {
            View = new RequestView(change.Terms, change.FilledGrams, change.RemainingGrams, change.Status, deals.Count, change.Version),
            Receipt = current.Receipt ?? change.Receipt,
            BodyHash = current.BodyHash ?? change.BodyHash,
            Deals = deals,
        }, this);
        return state.State.View;
    }
}
