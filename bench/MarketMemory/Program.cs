using System.Globalization;
using System.Runtime;
using CoopMarket.MarketMemory;

// Bytes of managed heap per open lot and per open request in one market, at each count given (default 10,000 and
// 100,000): the live heap after a full blocking collection, with the market, minus the same without it.
var counts = args.Length > 0 ? args.Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray() : [10_000, 100_000];
Console.WriteLine($".NET {Environment.Version}, {(GCSettings.IsServerGC ? "server" : "workstation")} GC, {IntPtr.Size * 8}-bit");
Console.WriteLine("| open entries | kind | receipts kept (first 48 h) | bytes total | bytes per entry |");
Console.WriteLine("|---:|---|---|---:|---:|");
foreach (var count in counts)
{
    foreach (var kind in new[] { "lots", "requests" })
    {
        foreach (var keepReceipts in new[] { false, true })
        {
            var (bytes, market) = Measure(count, kind, keepReceipts);
            var open = kind == "lots" ? market.OpenLots : market.OpenRequests;
            if (open != count)
            {
                throw new InvalidOperationException($"Expected {count} open {kind}, the market holds {open}.");
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {count:N0} | {kind} | {(keepReceipts ? "yes" : "no")} | {bytes:N0} | {bytes / (double)count:N0} |"));
        }
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
    var before = GC.GetTotalMemory(forceFullCollection: true);
    var market = new OpenMarket(keepReceipts);
    for (var i = 0; i < count; i++)
    {
        if (kind == "lots")
        {
            market.PostLot(i);
        }
        else
        {
            market.PlaceRequest(i);
        }
    }

    var after = GC.GetTotalMemory(forceFullCollection: true);
    GC.KeepAlive(market);
    return (after - before, market);
}
