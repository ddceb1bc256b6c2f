using CoopMarket.Hosting;
using CoopMarket.Tests;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Orleans.Configuration;
using Orleans.Persistence;
using Orleans.TestingHost;

namespace CoopMarket.Grains.Tests.Failover;

/// <summary>Three silos whose grain state and reminders live in a real Redis (see <see cref="TestRedis"/>: the one
/// <c>COOPMARKET_TEST_REDIS</c> names, or a <c>redis-server</c> of its own). A missing Redis fails the tests rather than skipping them.</summary>
public sealed class RedisClusterFixture : IAsyncLifetime
{
    private TestRedis? redis;

    /// <summary>Static because the cluster builds its silo and client configurators by type; set before the cluster deploys.</summary>
    public static string RedisConnectionString { get; private set; } = "";

    public TestCluster Cluster { get; } = BuildCluster();

    /// <summary>The market's clock in these silos, which run in this process, so tests move it for them.</summary>
    public static FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 12, 1, 3, 0, 0, TimeSpan.Zero));

    private static TestCluster BuildCluster()
    {
        var builder = new TestClusterBuilder(initialSilosCount: 3)
            .AddSiloBuilderConfigurator<SiloConfigurator>()
            .AddClientBuilderConfigurator<ClientConfigurator>();
        // Membership in Redis too, not in a grain on the primary silo: then any silo may die, the market's own included.
        builder.Options.UseTestClusterMembership = false;
        return builder.Build();
    }

    /// <summary>The silo whose catalog holds <paramref name="grain"/>'s activation. Each silo is asked for its own
    /// activations: the directory's answer (<see cref="IManagementGrain.GetActivationAddress"/>) may come from a stale
    /// cache, and a test that kills the silo it names may then kill one the grain is not on.</summary>
    public async Task<SiloHandle> HostOfAsync(IAddressable grain)
    {
        var management = Cluster.Client.GetGrain<IManagementGrain>(0);
        var id = grain.GetGrainId();
        foreach (var silo in Cluster.Silos)
        {
            if ((await management.GetDetailedGrainStatistics(hostsIds: [silo.SiloAddress])).Any(s => s.GrainId == id))
            {
                return silo;
            }
        }

        throw new InvalidOperationException($"No silo holds an activation of {id}.");
    }

    public async Task InitializeAsync()
    {
        redis = await TestRedis.StartAsync();
        RedisConnectionString = redis.ConnectionString;
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        if (redis is not null)
        {
            await redis.DisposeAsync();
        }
    }

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
                    o.DeleteStateOnClear = true;
                })
                // Reminders in Redis too, as in distributed mode: a deal's confirmation deadline must outlive its market's silo.
                .UseRedisReminderService(o =>
                {
                    o.ConfigurationOptions = redis.Options;
                    o.CreateMultiplexer = redis.ConnectSharedAsync;
                })
                .ConfigureServices(services => services.AddKeyedSingleton<TimeProvider>(MarketTime.ServiceKey, Clock))
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
