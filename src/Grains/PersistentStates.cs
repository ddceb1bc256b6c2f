using Orleans.Storage;

namespace CoopMarket.Grains;

internal static class PersistentStates
{
    /// <summary>Stores <paramref name="next"/> and only then lets the activation see it: when the write fails the
    /// state is what storage holds, so memory is never ahead of storage and a retry finds the change made or not
    /// made exactly as it was.</summary>
    /// <remarks>States are immutable records, so <paramref name="next"/> shares nothing that the old state could
    /// see changed.</remarks>
    public static async Task WriteAsync<T>(this IPersistentState<T> state, T next)
    {
        var previous = state.State;
        state.State = next;
        try
        {
            await state.WriteStateAsync();
        }
        catch (InconsistentStateException)
        {
            // Someone else wrote first; Orleans deactivates the grain, and the next activation reads what they wrote.
            state.State = previous;
            throw;
        }
        catch
        {
            state.State = previous;
            // A timeout may hide a write that landed: storage is then ahead of the state we had and our etag is stale.
            // Acting on that state (sealing the page it thinks is unfilled) would overwrite what storage already
            // counts, so read what really landed; if even that fails, the stale etag refuses the next write.
            await TryReloadAsync(state);
            throw;
        }
    }

    private static async Task TryReloadAsync<T>(IPersistentState<T> state)
    {
        var kept = state.State;
        try
        {
            await state.ReadStateAsync();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            state.State = kept;
        }
    }
}
