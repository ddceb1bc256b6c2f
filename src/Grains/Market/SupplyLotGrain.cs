namespace CoopMarket.Grains.Market;

internal sealed class SupplyLotGrain(
    [PersistentState("lot")] IPersistentState<SupplyLotState> state) : Grain, ISupplyLotGrain
{
    Task<LotView?> ISupplyLotGrain.GetAsync() => Task.FromResult(state.State.View);

    async Task<LotView?> ISupplyLotGrain.ApplyAsync(LotChange change)
    {
        var view = state.State.View;
        if (view is not null && view.Version >= change.Version)
        {
            return view;
        }

        var terms = change.Terms ?? view?.Terms ?? throw new InvalidOperationException($"Lot '{change.LotId}' changed before it was created.");
        state.State.View = new LotView(terms, change.RemainingGrams, change.Status, [.. view?.DealIds ?? [], .. change.NewDealIds], change.Version);
        await state.WriteStateAsync();
        return state.State.View;
    }
}
