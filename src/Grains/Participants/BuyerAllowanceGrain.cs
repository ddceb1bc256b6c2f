using CoopMarket.Grains.Market;
using Microsoft.Extensions.DependencyInjection;

namespace CoopMarket.Grains.Participants;

internal sealed class BuyerAllowanceGrain(
    [PersistentState("allowance")] IPersistentState<BuyerAllowanceState> state,
    [FromKeyedServices(MarketTime.ServiceKey)] TimeProvider clock) : Grain, IBuyerAllowanceGrain
{
    // Far longer than any placement takes from its reservation to its journal entry (calls time out in seconds).
    private static readonly TimeSpan Unconfirmed = TimeSpan.FromMinutes(10);

    async Task<bool> IBuyerAllowanceGrain.ReserveAsync(string requestId, string product, long grams, long capGrams)
    {
        if (state.State.Reserved.ContainsKey(requestId))
        {
            return true;
        }

        var reserved = Fits(state.State.Reserved, grams, capGrams) ? state.State.Reserved : await WithoutUnplacedAsync();
        if (!Fits(reserved, grams, capGrams))
        {
            return false;
        }

        await state.WriteAsync(new BuyerAllowanceState
        {
            Reserved = new Dictionary<string, Reservation>(reserved, StringComparer.Ordinal) { [requestId] = new(grams, product, clock.GetUtcNow(), false) },
        }, this);
        return true;
    }

    async Task IBuyerAllowanceGrain.ReleaseAsync(IReadOnlyList<RequestHold> holds)
    {
        // Lowered one hold after another in memory and stored once: a shared journal write may lower many requests of
        // one scope, and what a request holds never grows, so applying a hold again, or late, changes nothing.
        var reserved = state.State.Reserved;
        Dictionary<string, Reservation>? next = null;
        foreach (var hold in holds)
        {
            if (!(next ?? reserved).TryGetValue(hold.RequestId, out var reservation) || (reservation.Confirmed && reservation.Grams <= hold.Grams))
            {
                continue;
            }

            next ??= new Dictionary<string, Reservation>(reserved, StringComparer.Ordinal);
            if (hold.Grams > 0)
            {
                next[hold.RequestId] = reservation with { Grams = Math.Min(reservation.Grams, hold.Grams), Confirmed = true };
            }
            else
            {
                next.Remove(hold.RequestId);
            }
        }

        if (next is not null)
        {
            await state.WriteAsync(new BuyerAllowanceState { Reserved = next }, this);
        }
    }

    Task<long> IBuyerAllowanceGrain.GetOpenGramsAsync() => Task.FromResult(state.State.Reserved.Values.Sum(r => r.Grams));

    private static bool Fits(IReadOnlyDictionary<string, Reservation> reserved, long grams, long capGrams) =>
        reserved.Count < IBuyerAllowanceGrain.MaxOpenRequests && reserved.Values.Sum(r => r.Grams) + grams <= capGrams;

    /// <summary>Lets go of provisional reservations old enough that their placement has surely ended, for requests
    /// their market does not know: those placements never reached the journal.</summary>
    private async Task<IReadOnlyDictionary<string, Reservation>> WithoutUnplacedAsync()
    {
        var now = clock.GetUtcNow();
        var unplaced = new List<string>();
        foreach (var (requestId, reservation) in state.State.Reserved.Where(r => !r.Value.Confirmed && now - r.Value.At > Unconfirmed))
        {
            // Asked in this turn, which a market carrying an entry to this allowance waits for: the question interleaves
            // with the market's turn (see IMarketGrain.KnowsRequestAsync), or each would wait for the other.
            if (!await GrainFactory.GetGrain<IMarketGrain>(reservation.Product).KnowsRequestAsync(requestId))
            {
                unplaced.Add(requestId);
            }
        }

        if (unplaced.Count == 0)
        {
            return state.State.Reserved;
        }

        var kept = state.State.Reserved.Where(r => !unplaced.Contains(r.Key)).ToDictionary(StringComparer.Ordinal);
        await state.WriteAsync(new BuyerAllowanceState { Reserved = kept }, this);
        return kept;
    }
}
