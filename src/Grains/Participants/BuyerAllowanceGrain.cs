namespace CoopMarket.Grains.Participants;

internal sealed class BuyerAllowanceGrain(
    [PersistentState("allowance")] IPersistentState<BuyerAllowanceState> state) : Grain, IBuyerAllowanceGrain
{
    async Task<bool> IBuyerAllowanceGrain.ReserveAsync(string requestId, long grams, long capGrams)
    {
        var reserved = state.State.Reserved;
        if (reserved.ContainsKey(requestId))
        {
            return true;
        }

        if (reserved.Count >= IBuyerAllowanceGrain.MaxOpenRequests || reserved.Values.Sum() + grams > capGrams)
        {
            return false;
        }

        await state.WriteAsync(new BuyerAllowanceState { Reserved = new Dictionary<string, long>(reserved, StringComparer.Ordinal) { [requestId] = grams } });
        return true;
    }

    async Task IBuyerAllowanceGrain.ReleaseAsync(string requestId, long remainingGrams)
    {
        var reserved = state.State.Reserved;
        if (!reserved.TryGetValue(requestId, out var grams) || grams <= remainingGrams)
        {
            return;
        }

        var next = new Dictionary<string, long>(reserved, StringComparer.Ordinal);
        if (remainingGrams > 0)
        {
            next[requestId] = remainingGrams;
        }
        else
        {
            next.Remove(requestId);
        }

        await state.WriteAsync(new BuyerAllowanceState { Reserved = next });
    }

    Task<long> IBuyerAllowanceGrain.GetOpenGramsAsync() => Task.FromResult(state.State.Reserved.Values.Sum());
}
