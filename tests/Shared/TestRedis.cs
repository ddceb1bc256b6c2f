using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace CoopMarket.Tests;

/// <summary>A real Redis for tests: the server <c>COOPMARKET_TEST_REDIS</c> names (CI starts one), or else a
/// <c>redis-server</c> from the PATH started on a free loopback port, in a folder of its own, and stopped on dispose.</summary>
/// <remarks>Never a fake: the tests that use it check what Redis does with concurrent writes and dead silos.</remarks>
public sealed class TestRedis : IAsyncDisposable
{
    public const string Variable = "COOPMARKET_TEST_REDIS";

    private readonly Process? server;
    private readonly string? directory;

    private TestRedis(string connectionString, Process? server, string? directory)
    {
        ConnectionString = connectionString;
        this.server = server;
        this.directory = directory;
    }

    public string ConnectionString { get; }

    public static async Task<TestRedis> StartAsync()
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } given)
        {
            await PingAsync(given, $"{Variable} names {given}, but no Redis answers there.");
            return new TestRedis(given, null, null);
        }

        var directory = Directory.CreateTempSubdirectory("coopmarket-test-redis-").FullName;
        var port = FreePort();
        var start = new ProcessStartInfo("redis-server") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "--bind", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--save", "", "--appendonly", "no", "--dir", directory })
        {
            start.ArgumentList.Add(argument);
        }

        Process server;
        try
        {
            server = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            Directory.Delete(directory, recursive: true);
            throw new InvalidOperationException(
                $"These tests need Redis: install redis-server (apt-get install redis-server) so it is on the PATH, or set {Variable} to a running server's host:port.", e);
        }

        // Drain the output, or a chatty server blocks on a full pipe.
        server.OutputDataReceived += static (_, _) => { };
        server.ErrorDataReceived += static (_, _) => { };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        var redis = new TestRedis($"127.0.0.1:{port}", server, directory);
        try
        {
            await PingAsync(redis.ConnectionString, $"redis-server started on port {port} but did not answer.");
        }
        catch
        {
            await redis.DisposeAsync();
            throw;
        }

        return redis;
    }

    public async ValueTask DisposeAsync()
    {
        if (server is not null)
        {
            if (!server.HasExited)
            {
                server.Kill();
                await server.WaitForExitAsync();
            }

            server.Dispose();
        }

        if (directory is not null)
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>A fresh server takes a moment to listen: try for a few seconds before calling it broken.</summary>
    private static async Task PingAsync(string connectionString, string failure)
    {
        var options = ConfigurationOptions.Parse(connectionString);
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 500;
        await using var connection = await ConnectionMultiplexer.ConnectAsync(options);
        for (var attempt = 0; attempt < 50; attempt++)
        {
            try
            {
                await connection.GetDatabase().PingAsync();
                return;
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                await Task.Delay(100);
            }
        }

        throw new InvalidOperationException(failure);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
