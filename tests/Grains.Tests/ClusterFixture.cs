using CoopMarket.Hosting;
using Orleans.TestingHost;

namespace CoopMarket.Grains.Tests;

/// <summary>One two-silo cluster shared by every grain test; tests keep apart by using their own grain keys.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public TestCluster Cluster { get; } = new TestClusterBuilder(initialSilosCount: 2)
        .AddSiloBuilderConfigurator<SiloConfigurator>()
        .Build();

    public IGrainFactory Grains => Cluster.GrainFactory;

    public Task InitializeAsync() => Cluster.DeployAsync();

    public async Task DisposeAsync() => await Cluster.DisposeAsync();

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo) => silo
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
