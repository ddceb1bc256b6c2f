using System.Diagnostics;
using System.Globalization;
using System.Net;
using CoopMarket.LoadGen;

LoadOptions options;
try
{
    options = LoadOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or UriFormatException)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(LoadOptions.Usage);
    return 2;
}

using var http = new HttpClient(new SocketsHttpHandler
{
    // One connection per worker, kept for the whole run: the benchmark measures the gateway, not TCP handshakes.
    MaxConnectionsPerServer = options.Concurrency,
    PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
    PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
    UseCookies = false,
    UseProxy = false,
})
{
    BaseAddress = options.Gateway,
    Timeout = TimeSpan.FromSeconds(30),
};

var workload = new Workload(http, options);
var clock = Stopwatch.StartNew();
MarketTotals? before = null;
if (!options.Floor)
{
    await workload.RegisterParticipantsAsync();
    before = await workload.MarketTotalsAsync();
    await workload.PostSeedLotsAsync();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"set-up: {workload} and {options.SeedLots} seed lots of {options.SeedLotKg:N0} kg in {clock.Elapsed.TotalSeconds:N1} s"));
}

var limit = options.Count == long.MaxValue ? "" : string.Create(CultureInfo.InvariantCulture, $"{options.Count:N0} commands or ");
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"run: {options.Label}, {options.Concurrency} at a time, {limit}{options.Duration.TotalSeconds:N0} s, against {options.Gateway}"));

var next = -1L;
var run = Stopwatch.StartNew();
using var stopSampling = new CancellationTokenSource();
var serverCpu = ServerCpu.Start(options.ServerPids, run, stopSampling.Token);
var workers = Enumerable.Range(0, options.Concurrency).Select(_ => Task.Run(async () =>
{
    var done = new List<Completion>();
    while (Interlocked.Increment(ref next) is var n && n < options.Count && run.Elapsed < options.Duration)
    {
        var started = run.ElapsedTicks;
        int status;
        try
        {
            status = (int)await workload.SendAsync(n);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            status = 0;
        }

        var ended = run.ElapsedTicks;
        done.Add(new Completion(ended, (ended - started) * 1000.0 / Stopwatch.Frequency, status));
    }

    return done;
})).ToArray();
var completions = (await Task.WhenAll(workers)).SelectMany(d => d).ToList();
await stopSampling.CancelAsync();
serverCpu?.Sample();
var windows = new Windows(completions, serverCpu);
var stoppedBy = windows.Total >= options.Count ? "count" : "duration cap";

Console.WriteLine();
Console.Write(windows.Table());
Console.WriteLine();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"total: {windows.Total:N0} commands in {windows.Seconds:N1} s = {windows.Throughput:N0}/s (stopped by {stoppedBy}); median window {windows.MedianWindow:N0}/s; last/first window {windows.LastOverFirst:N2}"));
if (windows.CpuLastOverMedian is { } cpuDrift)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"server CPU per command: last window {windows.Rows[^1].ServerCpuMs:N3} ms, {cpuDrift:N2} × the median window's"));
}

Console.WriteLine("errors by status: " + (windows.ErrorsByStatus.Count == 0 ? "none"
    : string.Join(", ", windows.ErrorsByStatus.Select(e => string.Create(CultureInfo.InvariantCulture, $"{(e.Key == 0 ? "no answer" : e.Key.ToString(CultureInfo.InvariantCulture))}: {e.Value:N0}")))));

if (before is not null)
{
    var after = await workload.MarketTotalsAsync();
    var expectedSupply = workload.PostedKg - workload.DealtKg;
    var expectedDemand = workload.RequestedKg - workload.DealtKg;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"client's answers: posted {workload.PostedKg:N0} kg, requested {workload.RequestedKg:N0} kg, {workload.Deals:N0} deals for {workload.DealtKg:N0} kg"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"market's totals: open supply {after.OpenSupplyKg:N0} kg in {after.OpenLots:N0} lots, open demand {after.OpenDemandKg:N0} kg in {after.OpenRequests:N0} requests (before the run: {before.OpenSupplyKg:N0} kg, {before.OpenDemandKg:N0} kg)"));
    var supplyAgrees = after.OpenSupplyKg - before.OpenSupplyKg == expectedSupply;
    var demandAgrees = after.OpenDemandKg - before.OpenDemandKg == expectedDemand;
    Console.WriteLine(supplyAgrees && demandAgrees
        ? "market agrees with the client's answers: open supply and demand moved by exactly what was acknowledged"
        : string.Create(CultureInfo.InvariantCulture, $"MARKET DISAGREES with the client's answers: expected open supply to move by {expectedSupply:N3} kg and demand by {expectedDemand:N3} kg (a command applied without its 201 reaching the client, or another client in this market)"));
    var (requests, deals, lots) = await workload.ListedByFirstParticipantsAsync();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"first buyer's lists: {requests:N0} requests, {deals:N0} deals; first cooperative's list: {lots:N0} lots"));
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"RESULT mode={(options.Floor ? "floor" : options.RequestsOnly ? "requests" : "mix")} commands={windows.Total} seconds={windows.Seconds:F1} throughput={windows.Throughput:F1} median_window={windows.MedianWindow:F1} first={(windows.Rows.Count > 0 ? windows.Rows[0].PerSecond : 0):F1} last={(windows.Rows.Count > 0 ? windows.Rows[^1].PerSecond : 0):F1} last_over_first={windows.LastOverFirst:F2} errors={windows.ErrorsByStatus.Values.Sum()}{(windows.CpuLastOverMedian is { } drift ? string.Create(CultureInfo.InvariantCulture, $" cpu_last_over_median={drift:F2}") : "")} stopped={(stoppedBy == "count" ? "count" : "duration")}"));
return windows.ErrorsByStatus.ContainsKey((int)HttpStatusCode.InternalServerError) ? 1 : 0;
