namespace CoopMarket.Grains.Market;

// What an unverified buyer's request still holds of its scope's allowance. The cap counts a requested gram from the
// placement until it is final: delivered, or left unfilled by a request that closed (cancelled, expired). A gram in a
// deal is not final, since a rejection, expiry, cancellation, shortfall or short delivery can send it back to its request:
// released when the deal was made, it would come back on top of whatever the buyer placed meanwhile and lift the scope's
// open kilograms over the cap. Counted this way, what a request holds never grows after its placement, so the allowance
// only ever lowers a reservation; that makes each entry's holds safe to carry again, late or out of date.
internal sealed partial class MarketGrain
{
    // Grams of unverified buyers' requests in deals that may still give grams back, per request.
    private readonly Dictionary<string, long> heldInDeals = new(StringComparer.Ordinal);

    /// <summary>The scopes of the unverified buyers' requests an entry changes, read before the entry settles (settling
    /// may let a request go).</summary>
    private Dictionary<string, string> AllowanceScopes(MarketEntry entry)
    {
        var scopes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var change in entry.RequestChanges)
        {
            if (change.Terms.AllowanceScope is { } scope)
            {
                scopes[change.RequestId] = scope;
            }
        }

        // A delivery changes no request, yet its grams become final.
        foreach (var change in entry.DealChanges ?? [])
        {
            var terms = requests.GetValueOrDefault(change.RequestId) ?? closedRequests.GetValueOrDefault(change.RequestId)?.Terms;
            if (terms?.AllowanceScope is { } scope)
            {
                scopes[change.RequestId] = scope;
            }
        }

        return scopes;
    }

    /// <summary>What each request <paramref name="scopes"/> names holds once the entry has settled: journalled with the
    /// entry, so carrying it again later sends the allowance the same numbers.</summary>
    private List<AllowanceHold> Holds(Dictionary<string, string> scopes) =>
        [.. scopes.Select(s => new AllowanceHold(s.Value, s.Key, Held(s.Key)))];

    /// <summary>The grams of a request not yet final: what is unfilled while it is open, and what its deals that may
    /// still give grams back hold. Zero for a request the market let go: it is closed and its deals are final.</summary>
    private long Held(string requestId) => (book.FindRequest(requestId)?.RemainingGrams ?? 0) + heldInDeals.GetValueOrDefault(requestId);

    /// <summary>Counts (<paramref name="sign"/> +1) or stops counting (−1) a deal's grams in what its request holds.</summary>
    private void Hold(LiveDeal deal, long sign)
    {
        if (deal.BuyerVerified || !DealLifecycle.MayGiveGramsBack(deal.Status))
        {
            return;
        }

        var grams = heldInDeals.GetValueOrDefault(deal.RequestId) + sign * deal.Grams;
        if (grams == 0)
        {
            heldInDeals.Remove(deal.RequestId);
        }
        else
        {
            heldInDeals[deal.RequestId] = grams;
        }
    }
}
