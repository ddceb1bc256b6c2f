using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;

namespace CoopMarket.Deploy.Tests;

/// <summary>The cluster of <c>deploy/local</c> — Redis, 3 silos, 2 gateways, each its own process — on free loopback
/// ports and a run folder of its own, with the faults the tests inject: kill -9, graceful stop and restart of a
/// silo, and a Redis restart.</summary>
public sealed class LocalCluster : IAsyncLifetime
{
    private readonly string root = FindRoot();
    private readonly Dictionary<string, string> environment;

    public LocalCluster()
    {
        RunDirectory = Directory.CreateTempSubdirectory("coopmarket-deploy-").FullName;
        RedisPort = FreePort();
        Gateways = [new Uri($"http://127.0.0.1:{FreePort()}"), new Uri($"http://127.0.0.1:{FreePort()}")];
        var siloPortBase = FreeRange(3);
        SiloPorts = [.. Enumerable.Range(siloPortBase + 1, 3)];
        var configuration = typeof(LocalCluster).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        environment = new()
        {
            ["COOPMARKET_RUN_DIR"] = RunDirectory,
            ["REDIS_PORT"] = RedisPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["GATEWAY_PORTS"] = string.Join(' ', Gateways.Select(g => g.Port)),
            ["SILO_PORT_BASE"] = siloPortBase.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["SILO_GATEWAY_PORT_BASE"] = FreeRange(3).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["CONFIGURATION"] = configuration,
            ["SKIP_BUILD"] = "1",
            ["Demo__Seed"] = "false",
            ["Auth__AdminKey"] = AdminKey,
            // Gateways in Redis mode refuse to start without the shared secret participant keys are derived with.
            ["Auth__KeySecret"] = $"deploy-test-{Guid.NewGuid():N}",
            // The load is a deliberate burst from a few participants; the limits have tests of their own.
            ["RateLimits__PermitsPerMinute"] = "100000",
            // Times in every log of the run folder (kept with COOPMARKET_KEEP_RUN), to line up what each process saw.
            // The formatter must be named for its options to be read from configuration: without it no line had a time.
            ["Logging__Console__FormatterName"] = "simple",
            ["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff ",
        };
    }

    /// <summary>A key for this run only, handed to the gateways through the environment as an operator would.</summary>
    public string AdminKey { get; } = $"deploy-test-{Guid.NewGuid():N}";

    public string RunDirectory { get; }
    public int RedisPort { get; }
    public IReadOnlyList<Uri> Gateways { get; }

    /// <summary>Silo N's silo-to-silo port is <c>SiloPorts[N - 1]</c>.</summary>
    public IReadOnlyList<int> SiloPorts { get; }

    /// <summary>Grain state keys in Redis start with the service id, which every host leaves at its default.</summary>
    public string ServiceId { get; } = "coopmarket";

    public Task InitializeAsync() => RunAsync("up.sh");

    public async Task DisposeAsync()
    {
        await RunAsync("down.sh");
        // COOPMARKET_KEEP_RUN keeps the logs of every process for a look after a failure.
        if (Environment.GetEnvironmentVariable("COOPMARKET_KEEP_RUN") is null)
        {
            Directory.Delete(RunDirectory, recursive: true);
        }
    }

    /// <summary>kill -9: the silo gets no chance to leave the cluster.</summary>
    public void KillSilo(int n) => Signal(n, "KILL");

    /// <summary>SIGTERM, and wait for the silo to leave and exit.</summary>
    public async Task StopSiloAsync(int n)
    {
        var pid = Pid($"silo{n}");
        Signal(n, "TERM");
        using var process = Process.GetProcessById(pid);
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    public Task StartSiloAsync(int n) => RunAsync("silo.sh", n.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public Task StartGatewayAsync(int n) => RunAsync("gateway.sh", n.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>kill -9 of every process of the cluster at once, Redis included, as a power cut would.</summary>
    public Task CrashAsync() => RunAsync("crash.sh");

    /// <summary>A clean Redis shutdown: with the append-only file it writes everything acknowledged before exiting.</summary>
    public Task StopRedisAsync() => ExecAsync("redis-cli", "-p", RedisPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "shutdown");

    public Task StartRedisAsync() => RunAsync("redis.sh");

    /// <summary>What the processes told from <paramref name="from"/> on, at most <paramref name="linesPerProcess"/> lines
    /// each (the first and last halves), so that a busy one leaves room for the rest: Redis's log whole (its stops, starts and loads), and of each silo
    /// and gateway its warnings, its errors and CoopMarket's own information (a market's load and what it took), a line
    /// per second and kind of event with the first line of its message and how many such events that second held. A
    /// failed fault test prints it: CI keeps no run folder, and a stall that shows once in many runs is otherwise left
    /// without a cause.</summary>
    public string LogDigest(DateTime from, int linesPerProcess = 120)
    {
        var since = TimeOnly.FromDateTime(from.ToLocalTime());
        var lines = new List<string>();
        foreach (var log in Directory.GetFiles(RunDirectory, "*.log").Order())
        {
            using var reader = new StreamReader(new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
            var text = reader.ReadToEnd().Split('\n');
            var name = Path.GetFileNameWithoutExtension(log);
            var told = (name == "redis" ? RedisEvents(text, since) : HostEvents(name, text, since)).ToList();
            if (told.Count <= linesPerProcess)
            {
                lines.AddRange(told);
                continue;
            }

            // The fault's first moments and the recovery's last both matter: keep each end, say what is left out between.
            lines.AddRange(told.Take(linesPerProcess / 2));
            lines.Add($"{name}: … {told.Count - linesPerProcess} lines left out …");
            lines.AddRange(told.TakeLast(linesPerProcess / 2));
        }

        return string.Join('\n', lines);
    }

    /// <summary>Redis's lines ("pid:role dd Mon yyyy HH:mm:ss.fff * message") from <paramref name="since"/> on.</summary>
    private static IEnumerable<string> RedisEvents(string[] text, TimeOnly since) =>
        from line in text
        let fields = line.Split(' ', 6)
        where fields.Length == 6 && TimeOnly.TryParseExact(fields[4], "HH:mm:ss.fff", out var at) && at >= since
        select $"redis {fields[4]} {fields[5]}";

    private static IEnumerable<string> HostEvents(string host, string[] text, TimeOnly since)
    {
        var events = new List<(string First, int Count)>();
        var kinds = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < text.Length - 1; i++)
        {
            // "HH:mm:ss.fff warn: Category[event id]", the message on the next line (see the logging settings above).
            var header = text[i];
            if (header.Length < 19 || !TimeOnly.TryParseExact(header[..12], "HH:mm:ss.fff", out var at) || at < since
                || header[13..19] is not ("warn: " or "fail: " or "crit: ") && !header[13..].StartsWith("info: CoopMarket.", StringComparison.Ordinal))
            {
                continue;
            }

            var kind = $"{header[..8]} {header[13..]}";
            if (kinds.TryGetValue(kind, out var seen))
            {
                events[seen] = (events[seen].First, events[seen].Count + 1);
                continue;
            }

            kinds[kind] = events.Count;
            var first = $"{host} {header[..12]} {header[13..]} {text[i + 1].Trim()}";
            events.Add((first.Length > 300 ? first[..300] : first, 1));
        }

        return events.Select(e => e.Count == 1 ? e.First : $"{e.First} (x{e.Count} that second)");
    }

    private void Signal(int silo, string signal) =>
        ExecAsync("kill", $"-{signal}", Pid($"silo{silo}").ToString(System.Globalization.CultureInfo.InvariantCulture)).GetAwaiter().GetResult();

    private int Pid(string name) => int.Parse(File.ReadAllText(Path.Combine(RunDirectory, $"{name}.pid")).Trim(), System.Globalization.CultureInfo.InvariantCulture);

    private Task RunAsync(string script, params string[] arguments) =>
        ExecAsync(Path.Combine(root, "deploy", "local", script), arguments);

    private async Task ExecAsync(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = root };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await output}{await error}");
        }
    }

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "CoopMarket.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("CoopMarket.sln not found above the test binaries.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The first of <paramref name="count"/> consecutive free ports after a base; silo N uses base + N.</summary>
    private static int FreeRange(int count)
    {
        for (var basePort = 21000 + Random.Shared.Next(0, 8000); ; basePort += count + 1)
        {
            if (Enumerable.Range(basePort + 1, count).All(IsFree))
            {
                return basePort;
            }
        }
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}

[CollectionDefinition(Name)]
public sealed class LocalClusterCollection : ICollectionFixture<LocalCluster>
{
    public const string Name = "local-cluster";
}
