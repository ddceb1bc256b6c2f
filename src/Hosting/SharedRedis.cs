using StackExchange.Redis;

namespace CoopMarket.Hosting;

/// <summary>The one Redis connection of a process, shared by clustering, grain storage, reminders and the health
/// check: a multiplexer is built to be shared, and one per provider would triple the sockets and reconnects.</summary>
public sealed class SharedRedis
{
    private readonly Lazy<Task<IConnectionMultiplexer>> connection;

    public SharedRedis(string connectionString)
    {
        Options = ConfigurationOptions.Parse(connectionString);
        // Keep retrying in the background when Redis restarts, instead of failing every later call.
        Options.AbortOnConnectFail = false;
        connection = new(async () => await ConnectionMultiplexer.ConnectAsync(Options));
    }

    public ConfigurationOptions Options { get; }

    public Task<IConnectionMultiplexer> ConnectAsync() => connection.Value;

    /// <summary>For the providers' <c>CreateMultiplexer</c> hooks: the connection, marked shared so that no provider
    /// disposes it when it stops while the others still use it.</summary>
    public async Task<(IConnectionMultiplexer, bool)> ConnectSharedAsync(object options) => (await ConnectAsync(), true);
}
