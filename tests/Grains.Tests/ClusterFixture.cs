using CoopMarket.Grains;
using CoopMarket.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace CoopMarket.Grains.Tests;

/// <summary>One two-silo cluster shared by every grain test; tests keep apart by using their own grain keys.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public TestCluster Cluster { get; } = new TestClusterBuilder(initialSilosCount: 2)
        .AddSiloBuilderConfigurator<SiloConfigurator>()
        .Build();

    /// <summary>The market's clock in the silos, which run in this process, so tests move it for them.</summary>
    public static FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 12, 1, 3, 0, 0, TimeSpan.Zero));

    public IGrainFactory Grains => Cluster.GrainFactory;

    public Task InitializeAsync() => Cluster.DeployAsync();

    public async Task DisposeAsync() => await Cluster.DisposeAsync();

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo) => silo
            .ConfigureServices(services => services.AddKeyedSingleton<TimeProvider>(MarketTime.ServiceKey, Clock))
            .AddMemoryGrainStorageAsDefault()
            .UseInMemoryReminderService()
            .AddCoopMarketGrains();
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
