namespace CoopMarket.Grains.Trace;

/// <summary>One traceability code, keyed by the code itself: the deal whose goods were shipped under it.</summary>
public interface ITraceGrain : IGrainWithStringKey
{
    /// <summary>Ties this code to the deal <paramref name="dealId"/>, whose record carries it. Tying it to the same deal
    /// again changes nothing; a code tied to one deal is never moved to another (that throws).</summary>
    Task RegisterAsync(string dealId);

    /// <summary>What the public may know of the goods shipped under this code — never the buyer or the price — or null
    /// when no shipment carries it.</summary>
    Task<TracedShipment?> GetAsync();
}
