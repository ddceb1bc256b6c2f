using Orleans.Storage;

namespace CoopMarket.Grains;

internal static class PersistentStates
{
    /// <summary>Stores <paramref name="next"/> and only then lets the activation see it: when the write fails the
    /// state stays as it was, so memory is never ahead of storage and a retry finds the change not yet made.</summary>
    /// <remarks>States are immutable records, so <paramref name="next"/> shares nothing that the old state could
    /// see changed. A failure other than a conflict may hide a write that landed (a lost reply): storage may then be
    /// ahead of the state kept here, and acting on it (sealing a page it thinks is unfilled) would overwrite what
    /// storage already counts. So <paramref name="owner"/> deactivates, and the next call reads what really landed.
    /// Reading it back at once would cost a second timeout while storage is down, inside the caller's wait.</remarks>
    public static async Task WriteAsync<T>(this IPersistentState<T> state, T next, IGrainBase owner)
    {
        var previous = state.State;
        state.State = next;
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception e)
        {
            state.State = previous;
            if (e is not InconsistentStateException)
            {
                // A conflict deactivates the grain already; anything else might have landed.
                owner.DeactivateOnIdle();
            }

            throw;
        }
    }
}
