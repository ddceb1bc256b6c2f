using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Xunit.Abstractions;

namespace CoopMarket.Deploy.Tests;

/// <summary>The whole cluster crashes — every silo, gateway and Redis killed with -9 at once — under load, three times
/// in a row. Each time the gateways come back first, wait for the cluster without giving up, and are ready within
/// 30 s of the silos being up; and Redis, read directly, holds everything that was acknowledged, sold at most once.</summary>
[Collection(LocalClusterCollection.Name)]
public sealed class RecoveryTests(LocalCluster cluster, ITestOutputHelper output)
{
    private const int Crashes = 3;
    private const int OperationsPerRound = 120;
    private const int Workers = 6;
    private static readonly TimeSpan ReadyBound = TimeSpan.FromSeconds(30);

    /// <summary>How long a process may take to start on a loaded machine before the test gives up on it; not the
    /// contract, which is <see cref="ReadyBound"/> from the moment the silos are up.</summary>
    private static readonly TimeSpan StartPatience = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task A_crash_of_every_process_three_times_under_load_is_ready_within_30_s_and_loses_and_oversells_nothing()
    {
        // Clients retry each POST with its key for as long as a whole cluster may take to start again.
        var load = new MarketLoad(cluster.Gateways, cluster.AdminKey, patience: TimeSpan.FromMinutes(4));
        await load.RegisterAsync(cooperatives: 4, buyers: 3);
        var restarts = new List<Restart>();
        for (var crash = 1; crash <= Crashes; crash++)
        {
            var acknowledgedBefore = load.Acknowledged;
            Task<Restart>? restart = null;
            try
            {
                await load.RunAsync(OperationsPerRound, Workers, done =>
                {
                    if (done == OperationsPerRound / 2)
                    {
                        restart = Task.Run(CrashAndRestartAsync);
                    }
                });
            }
            finally
            {
                // A load that gave up is the symptom; a restart that failed (a gateway never live) is the cause to report.
                if (restart is { IsFaulted: true })
                {
                    await restart;
                }
            }

            var round = await restart!;
            restarts.Add(round);

            var findings = await RedisAudit.RunAsync(cluster.RedisPort, cluster.ServiceId, load);
            output.WriteLine(
                $"crash {crash}: gateways live {round.GatewaysLiveSeconds:0.0} s after their start, ready {string.Join(" and ", round.ReadySeconds.Select(s => $"{s:0.0}"))} s " +
                $"after the silos were up ({round.SilosUpSeconds:0.0} s after their start); /health/live {(int)round.LiveWhileDown} and /health/ready " +
                $"{(int)round.ReadyWhileDown} while the silos were down; Redis holds {findings.LotsRead} lots, {findings.RequestsRead} requests, {findings.DealsRead} deals");
            output.WriteLine(load.Report($"crash {crash} of every process", 0, findings.OversoldKg, findings.Lost));
            foreach (var problem in findings.Problems.Take(20))
            {
                output.WriteLine(problem);
            }

            Assert.Equal(HttpStatusCode.OK, round.LiveWhileDown);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, round.ReadyWhileDown);
            Assert.All(round.ReadySeconds, s => Assert.InRange(s, 0, ReadyBound.TotalSeconds));
            Assert.True(load.Acknowledged > acknowledgedBefore + OperationsPerRound / 2, "the load did not go on after the restart");
            Assert.Empty(findings.Problems);
            Assert.Equal(0, findings.Lost);
            Assert.Equal(0m, findings.OversoldKg);
        }

        foreach (var body in load.ServerErrorBodies)
        {
            output.WriteLine(body);
        }

        Assert.Empty(load.ServerErrorBodies);
        Assert.Equal(0, load.ServerErrors);
        Assert.False(load.Deals.IsEmpty, "the load made no deal: nothing was tested");
        Assert.True(load.Unavailable + load.Retried > 0, "no client ever saw the crash: nothing was tested");
    }

    private sealed record Restart(double GatewaysLiveSeconds, HttpStatusCode LiveWhileDown, HttpStatusCode ReadyWhileDown, double SilosUpSeconds, double[] ReadySeconds);

    /// <summary>Crashes everything, then starts Redis and the gateways, checks that they wait for the cluster (live,
    /// not ready), starts the silos on their old endpoints, and times each gateway's readiness from the silos being up.</summary>
    private async Task<Restart> CrashAndRestartAsync()
    {
        await cluster.CrashAsync();
        await cluster.StartRedisAsync();
        var gatewaysStarted = Stopwatch.GetTimestamp();
        for (var n = 1; n <= cluster.Gateways.Count; n++)
        {
            await cluster.StartGatewayAsync(n);
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        foreach (var gateway in cluster.Gateways)
        {
            await UntilAsync(async () => await StatusAsync(http, gateway, "/health/live") == HttpStatusCode.OK, StartPatience, $"{gateway} never answered /health/live");
        }

        var gatewaysLive = Stopwatch.GetElapsedTime(gatewaysStarted).TotalSeconds;
        var liveWhileDown = await StatusAsync(http, cluster.Gateways[0], "/health/live");
        var readyWhileDown = await StatusAsync(http, cluster.Gateways[0], "/health/ready");

        var silosStarted = Stopwatch.GetTimestamp();
        for (var n = 1; n <= cluster.SiloPorts.Count; n++)
        {
            await cluster.StartSiloAsync(n);
        }

        // Up: every silo process listens on its silo port. From here on the time is the cluster's recovery, not a
        // process starting on a machine that other builds may be loading.
        foreach (var port in cluster.SiloPorts)
        {
            await UntilAsync(() => Task.FromResult(Listening(port)), StartPatience, $"no silo listens on port {port}");
        }

        var silosUp = Stopwatch.GetTimestamp();
        var ready = await Task.WhenAll(cluster.Gateways.Select(async gateway =>
        {
            await UntilAsync(async () => await StatusAsync(http, gateway, "/health/ready") == HttpStatusCode.OK, StartPatience, $"{gateway} never became ready");
            return Stopwatch.GetElapsedTime(silosUp).TotalSeconds;
        }));
        return new Restart(gatewaysLive, liveWhileDown, readyWhileDown, Stopwatch.GetElapsedTime(silosStarted, silosUp).TotalSeconds, ready);
    }

    private static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan patience, string failure)
    {
        var started = Stopwatch.GetTimestamp();
        while (!await condition())
        {
            if (Stopwatch.GetElapsedTime(started) > patience)
            {
                throw new TimeoutException(failure);
            }

            await Task.Delay(100);
        }
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient http, Uri gateway, string path)
    {
        try
        {
            using var response = await http.GetAsync(new Uri(gateway, path));
            return response.StatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return 0;
        }
    }

    private static bool Listening(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
