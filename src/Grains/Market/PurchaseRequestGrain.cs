namespace CoopMarket.Grains.Market;

internal sealed class PurchaseRequestGrain(
    [PersistentState("request")] IPersistentState<PurchaseRequestState> state) : Grain, IPurchaseRequestGrain
{
    Task<RequestView?> IPurchaseRequestGrain.GetAsync() => Task.FromResult(state.State.View);

    async Task<RequestView?> IPurchaseRequestGrain.ApplyAsync(RequestChange change)
    {
        var view = state.State.View;
        if (view is not null && view.Version >= change.Version)
        {
            return view;
        }

        var terms = change.Terms ?? view?.Terms ?? throw new InvalidOperationException($"Request '{change.RequestId}' changed before it was placed.");
        state.State.View = new RequestView(terms, change.FilledGrams, change.RemainingGrams, change.Status,
            [.. view?.DealIds ?? [], .. change.NewDealIds], change.Version);
        await state.WriteStateAsync();
        return state.State.View;
    }
}
