namespace CoopMarket.Grains.Participants;

/// <summary>The one owner of what unverified buyers may have requested and not yet received: it checks and
/// reserves in one step, so concurrent requests can never pass the cap together. Keyed by a scope: the client address
/// self-registered buyers came from (<c>address/…</c>), or a buyer's own id.</summary>
public interface IBuyerAllowanceGrain : IGrainWithStringKey
{
    /// <summary>How many requests may be open at once: the allowance keeps one line per open request, so the number
    /// of lines needs a bound of its own, however few grams each request is for.</summary>
    const int MaxOpenRequests = 100;

    /// <summary>Reserves <paramref name="grams"/> for <paramref name="requestId"/>, to be placed in
    /// <paramref name="product"/>'s market, when the scope's open total stays within <paramref name="capGrams"/>; false
    /// when it would not. Reserving for the same request again changes nothing.</summary>
    /// <remarks>A reservation is provisional until the market's projection confirms the request. One still provisional
    /// after a while, for a request its market does not know, was never placed (the placement failed and was never
    /// retried): it is let go when room is needed, so a failed placement cannot hold the allowance for ever.</remarks>
    Task<bool> ReserveAsync(string requestId, string product, long grams, long capGrams);

    /// <summary>Confirms each request's reservation and lowers it to what the request holds, its grams not yet final;
    /// zero ends it. Never raises one. Applied in order and stored once for all.</summary>
    /// <remarks>A gram is final once delivered, or once its request closed with it unfilled. Grams in a deal are not:
    /// a rejection, expiry, cancellation, shortfall or short delivery sends them back to the request, and had they left
    /// the reservation when the deal was made, they would come back over the cap. So what a request holds never grows
    /// after its placement, and lowering is all the market ever asks: an update carried again, or late, changes nothing.</remarks>
    Task ReleaseAsync(IReadOnlyList<RequestHold> holds);

    /// <summary>The grams reserved now.</summary>
    Task<long> GetOpenGramsAsync();
}
