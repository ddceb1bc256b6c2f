using CoopMarket.Grains.Paging;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace CoopMarket.Grains.Market;

// A season makes hundreds of thousands of these, each read a few times around its deal and rarely after: two idle
// minutes, not Orleans' default fifteen, keep a silo's memory to the records in use.
[CollectionAgeLimit(Minutes = 2)]
internal sealed class SupplyLotGrain(
    [PersistentState("lot")] IPersistentState<SupplyLotState> state,
    [FromKeyedServices("Default")] IGrainStorage storage) : Grain, ISupplyLotGrain
{
    private const string DealsIndex = "deals";
    private IdPageStore Pages => new(storage, $"lot/{this.GetPrimaryKeyString()}");

    Task<LotView?> ISupplyLotGrain.GetAsync() => Task.FromResult(state.State.View);

    async Task<Claim> ISupplyLotGrain.ClaimAsync(string bodyHash)
    {
        var claim = RecordClaims.Answer(state.State.BodyHash, state.State.Receipt, bodyHash);
        if (state.State.BodyHash is null)
        {
            await state.WriteAsync(state.State with { BodyHash = bodyHash }, this);
        }

        return claim;
    }

    Task<LotShortfall?> ISupplyLotGrain.FindShortfallAsync(string key) =>
        Task.FromResult(state.State.Shortfalls.FirstOrDefault(s => s.Key == key));

    Task<IdPage> ISupplyLotGrain.GetDealIdsAsync(PageRequest page) => Pages.ReadAsync(DealsIndex, state.State.Deals, page);

    async Task<LotView?> ISupplyLotGrain.ApplyAsync(LotChange change)
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
            View = new LotView(change.Terms, change.RemainingGrams, change.Status, deals.Count, change.Version,
                (current.View?.ReturnedGrams ?? 0) + change.ReturnedGrams,
                (current.View?.ShortfallGrams ?? 0) + change.ShortfallGrams,
                (current.View?.UndeliveredGrams ?? 0) + change.UndeliveredGrams),
            Receipt = current.Receipt ?? change.Receipt,
            BodyHash = current.BodyHash ?? change.BodyHash,
            Deals = deals,
            Shortfalls = change.Shortfall is { Key: not null } shortfall ? [.. current.Shortfalls, shortfall] : current.Shortfalls,
        }, this);
        return state.State.View;
    }
}
