using System.Diagnostics;
using System.Net;
using Xunit.Abstractions;

namespace CoopMarket.Deploy.Tests;

/// <summary>Faults struck at real processes in the middle of a load: nothing acknowledged may go missing, no
/// kilogram may be sold twice, and a client may see 503 but never a bare 500.</summary>
[Collection(LocalClusterCollection.Name)]
public sealed class FaultTests(LocalCluster cluster, ITestOutputHelper output)
{
    private const int Operations = 2_000;
    private const int Workers = 6;

    [Fact]
    public async Task A_silo_killed_and_another_restarted_under_load_lose_and_oversell_nothing()
    {
        var load = new MarketLoad(cluster.Gateways, cluster.AdminKey);
        await load.RegisterAsync(cooperatives: 6, buyers: 4);
        long killedAt = 0;
        DateTime killedUtc = default, restartedUtc = default;
        Task? fault = null;
        var run = load.RunAsync(Operations, Workers, done =>
        {
            if (done == Operations / 3)
            {
                killedAt = Stopwatch.GetTimestamp();
                killedUtc = DateTime.UtcNow;
                cluster.KillSilo(1);
            }
            else if (done == 2 * Operations / 3)
            {
                fault = Task.Run(async () =>
                {
                    restartedUtc = DateTime.UtcNow;
                    await cluster.StopSiloAsync(2);
                    await cluster.StartSiloAsync(2);
                });
            }
        });
        await run;
        await fault!;
        var secondsToRecover = load.SecondsFailingAfter(killedAt);

        var findings = await MarketAudit.RunAsync(load);
        output.WriteLine(load.Report($"kill -9 of silo 1 at {killedUtc:HH:mm:ss.fff}, graceful restart of silo 2 from {restartedUtc:HH:mm:ss.fff}", secondsToRecover, findings.OversoldKg, findings.Lost));
        output.WriteLine(cluster.LogDigest(killedUtc.AddSeconds(-1)));
        foreach (var body in load.ServerErrorBodies)
        {
            output.WriteLine(body);
        }

        Assert.Empty(load.ServerErrorBodies);
        Assert.Empty(findings.Problems);
        Assert.Equal(0, findings.Lost);
        Assert.Equal(0m, findings.OversoldKg);
        Assert.Equal(0, load.ServerErrors);
        Assert.False(load.Deals.IsEmpty, "the load made no deal: nothing was tested");
        Assert.InRange(load.LongestWaitSeconds, 0, 30);
    }

    [Fact]
    public async Task A_Redis_restart_under_load_answers_503_not_500_and_loses_nothing()
    {
        var load = new MarketLoad(cluster.Gateways, cluster.AdminKey);
        await load.RegisterAsync(cooperatives: 4, buyers: 3);
        Task? fault = null;
        var readyDuringOutage = HttpStatusCode.OK;
        var ackedWhenRestarted = int.MaxValue;
        long stoppedAt = 0;
        DateTime stoppedUtc = default, startedUtc = default;
        var run = load.RunAsync(Operations / 2, Workers, done =>
        {
            if (done == Operations / 6)
            {
                fault = Task.Run(async () =>
                {
                    await cluster.StopRedisAsync();
                    stoppedAt = Stopwatch.GetTimestamp();
                    stoppedUtc = DateTime.UtcNow;
                    using var http = new HttpClient { BaseAddress = cluster.Gateways[0] };
                    readyDuringOutage = (await http.GetAsync(new Uri("/health/ready", UriKind.Relative))).StatusCode;
                    await Task.Delay(TimeSpan.FromSeconds(3));
                    await cluster.StartRedisAsync();
                    startedUtc = DateTime.UtcNow;
                    ackedWhenRestarted = load.Acknowledged;
                });
            }
        });
        await run;
        await fault!;
        var secondsToRecover = load.SecondsFailingAfter(stoppedAt);

        var findings = await MarketAudit.RunAsync(load);
        output.WriteLine(load.Report($"Redis shut down at {stoppedUtc:HH:mm:ss.fff}, started again at {startedUtc:HH:mm:ss.fff}", secondsToRecover, findings.OversoldKg, findings.Lost));
        output.WriteLine(cluster.LogDigest(stoppedUtc.AddSeconds(-1)));
        foreach (var body in load.ServerErrorBodies)
        {
            output.WriteLine(body);
        }

        Assert.Empty(load.ServerErrorBodies);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, readyDuringOutage);
        Assert.True(ackedWhenRestarted < load.Acknowledged, "the load was over before Redis came back: the outage hit no request");
        Assert.Empty(findings.Problems);
        Assert.Equal(0, findings.Lost);
        Assert.Equal(0m, findings.OversoldKg);
        Assert.Equal(0, load.ServerErrors);
        // The stall after Redis comes back is the market loading again (it deactivated when its journal write failed):
        // up to a snapshot's worth of entries read and projected again while every call waits. Entry by entry that
        // passed 30 s in full-suite runs; read in batches and projected record by record side by side, it fits again.
        Assert.InRange(load.LongestWaitSeconds, 0, 30);
    }
}
