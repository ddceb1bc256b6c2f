namespace CoopMarket.Grains;

internal static class PersistentStates
{
    /// <summary>Stores <paramref name="next"/> and only then lets the activation see it: when the write fails the
    /// state stays as it was, so memory is never ahead of storage and a retry finds the change not yet made.</summary>
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
        catch
        {
            state.State = previous;
            throw;
        }
    }
}
