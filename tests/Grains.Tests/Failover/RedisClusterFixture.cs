using CoopMarket.Hosting;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Persistence;
using Orleans.TestingHost;
using StackExchange.Redis;

namespace CoopMarket.Grains.Tests.Failover;

/// <summary>Three silos whose grain state and reminders live in a real Redis (<c>COOPMARKET_TEST_REDIS</c>, by default
/// 127.0.0.1:6379; <c>.ci/run</c> starts one). A missing Redis fails the tests rather than skipping them.</summary>
public sealed class RedisClusterFixture : IAsyncLifetime
{
    public static string RedisConnectionString => Environment.GetEnvironmentVariable("COOPMARKET_TEST_REDIS") ?? "127.0.0.1:6379";

    public TestCluster Cluster { get; } = BuildCluster();

    private static TestCluster BuildCluster()
    {
        var builder = new TestClusterBuilder(initialSilosCount: 3)
            .AddSiloBuilderConfigurator<SiloConfigurator>()
            .AddClientBuilderConfigurator<ClientConfigurator>();
        // Membership in Redis too, not in a grain on the primary silo: then any silo may die, the market's own included.
        builder.Options.UseTestClusterMembership = false;
        return builder.Build();
    }

    public async Task InitializeAsync()
    {
        try
        {
            await using var redis = await ConnectionMultiplexer.ConnectAsync(RedisConnectionString);
            await redis.GetDatabase().PingAsync();
        }
        catch (RedisConnectionException e)
        {
            throw new InvalidOperationException($"The Redis failover tests need a Redis server at {RedisConnectionString} (set COOPMARKET_TEST_REDIS); .ci/run starts one.", e);
        }

        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo)
        {
            var redis = new SharedRedis(RedisConnectionString);
            // Declare a killed silo dead within seconds, so the test waits for failover, not for timeouts.
            silo.UseRedisClustering(o =>
                {
                    o.ConfigurationOptions = redis.Options;
                    o.CreateMultiplexer = redis.ConnectSharedAsync;
                })
                .Configure<ClusterMembershipOptions>(o =>
                {
                    o.ProbeTimeout = TimeSpan.FromSeconds(1);
                    o.NumMissedProbesLimit = 2;
                    o.NumVotesForDeathDeclaration = 1;
                })
                .Configure<SiloMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(5))
                .AddRedisGrainStorageAsDefault((RedisStorageOptions o) =>
                {
                    o.ConfigurationOptions = redis.Options;
                    o.CreateMultiplexer = redis.ConnectSharedAsync;
                })
                .UseInMemoryReminderService()
                .AddCoopMarketGrains();
        }
    }
}

/// <summary>A call to a silo that just died fails after seconds rather than the default half minute.</summary>
internal sealed class ClientConfigurator : IClientBuilderConfigurator
{
    public void Configure(Microsoft.Extensions.Configuration.IConfiguration configuration, IClientBuilder client) => client
        .UseRedisClustering(o => o.ConfigurationOptions = new SharedRedis(RedisClusterFixture.RedisConnectionString).Options)
        .Configure<ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(5));
}

[CollectionDefinition(Name)]
public sealed class RedisClusterCollection : ICollectionFixture<RedisClusterFixture>
{
    public const string Name = "redis-cluster";
}
