using System.Globalization;
using System.Runtime;
using CoopMarket.MarketMemory;

// Bytes of managed heap per open lot and per open request in one market, at each count given (default 10,000 and
// 100,000): the live heap after a full blocking collection, with the entries, minus the same before them. Also what a
// request that filled at once leaves behind: no book entry, only its receipt, kept for retries until a snapshot prunes it.
var counts = args.Length > 0 ? args.Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray() : [10_000, 100_000];
Console.WriteLine($".NET {Environment.Version}, {(GCSettings.IsServerGC ? "server" : "workstation")} GC, {IntPtr.Size * 8}-bit");
Console.WriteLine("| entries | kind | receipts kept (until pruned) | bytes total | bytes per entry |");
Console.WriteLine("|---:|---|---|---:|---:|");
foreach (var count in counts)
{
    foreach (var (kind, keepReceipts) in new[] { ("lots", false), ("lots", true), ("requests", false), ("requests", true), ("filled requests", true) })
    {
        var (bytes, market) = Measure(count, kind, keepReceipts);
        // The market must hold what was weighed, or the figure is of something else.
        var (expected, held) = kind switch
        {
            "lots" => ((count, 0, keepReceipts ? count : 0), (market.OpenLots, market.OpenRequests, market.Receipts)),
            "requests" => ((0, count, keepReceipts ? count : 0), (market.OpenLots, market.OpenRequests, market.Receipts)),
            _ => ((100, 0, count + 100), (market.OpenLots, market.OpenRequests, market.Receipts)),
        };
        if (expected != held)
        {
            throw new InvalidOperationException($"Weighing {count} {kind}: expected (lots, requests, receipts) {expected}, the market holds {held}.");
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {count:N0} | {kind} | {(keepReceipts ? "yes" : "no")} | {bytes:N0} | {bytes / (double)count:N0} |"));
    }
}

return 0;

static (long Bytes, OpenMarket Market) Measure(int count, string kind, bool keepReceipts)
{
    // A small market first, so the JIT's and the statics' one-time allocations fall before the baseline.
    var warm = new OpenMarket(keepReceipts);
    for (var i = 0; i < 100; i++)
    {
        warm.PostLot(i);
        warm.PlaceRequest(i);
    }

    GC.KeepAlive(warm);
    var market = new OpenMarket(keepReceipts);
    if (kind == "filled requests")
    {
        // The lots the requests fill from are in the baseline: what is weighed is what each filled request leaves.
        for (var i = 0; i < 100; i++)
        {
            market.PostLot(int.MaxValue - i, 10_000_000);
        }
    }

    var before = GC.GetTotalMemory(forceFullCollection: true);
    for (var i = 0; i < count; i++)
    {
        switch (kind)
        {
            case "lots": market.PostLot(i); break;
            case "requests": market.PlaceRequest(i); break;
            default: market.PlaceFilledRequest(i); break;
        }
    }

    var after = GC.GetTotalMemory(forceFullCollection: true);
    GC.KeepAlive(market);
    return (after - before, market);
}
