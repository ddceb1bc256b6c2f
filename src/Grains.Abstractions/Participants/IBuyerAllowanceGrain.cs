namespace CoopMarket.Grains.Participants;

/// <summary>The one owner of what unverified buyers may have requested and not yet received: it checks and
/// reserves in one step, so concurrent requests can never pass the cap together. Keyed by a scope: the buyer's id.</summary>
public interface IBuyerAllowanceGrain : IGrainWithStringKey
{
    /// <summary>How many requests may be open at once: the allowance keeps one line per open request, so the number
    /// of lines needs a bound of its own, however few grams each request is for.</summary>
    const int MaxOpenRequests = 100;

    /// <summary>Reserves <paramref name="grams"/> for <paramref name="requestId"/> when the scope's open total stays
    /// within <paramref name="capGrams"/>; false when it would not. Reserving for the same request again changes nothing.</summary>
    Task<bool> ReserveAsync(string requestId, long grams, long capGrams);

    /// <summary>Lowers the request's reservation to what is still unfilled; zero ends it. Never raises it.</summary>
    Task ReleaseAsync(string requestId, long remainingGrams);

    /// <summary>The grams reserved now.</summary>
    Task<long> GetOpenGramsAsync();
}
