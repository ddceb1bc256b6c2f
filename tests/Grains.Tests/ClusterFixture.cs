using CoopMarket.Grains;
using CoopMarket.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Core.Internal;
using Orleans.Providers;
using Orleans.Storage;
using Orleans.TestingHost;

namespace CoopMarket.Grains.Tests;

/// <summary>One two-silo cluster shared by every grain test; tests keep apart by using their own grain keys. Its
/// storage is the embedded mode's <see cref="LocalGrainStorage"/> behind <see cref="FaultyStorage"/>, which passes
/// everything through until a test arms a fault.</summary>
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

    /// <summary>Ends every idle activation, so what is read next comes from storage, not from memory.</summary>
    public Task DeactivateAllAsync() => Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

    /// <summary>Ends each grain's activation, so its next call reads its record from storage.</summary>
    public async Task DeactivateAsync(params IAddressable[] records)
    {
        foreach (var record in records)
        {
            for (var until = DateTime.UtcNow.AddSeconds(20); ; await Task.Delay(20))
            {
                await record.AsReference<IGrainManagementExtension>().DeactivateOnIdle();
                if (!await IsActiveAsync(record))
                {
                    break;
                }

                Assert.True(DateTime.UtcNow < until, $"{record.GetGrainId()} did not deactivate");
            }
        }
    }

    /// <summary>Whether the record's activation is gone within <paramref name="patience"/>, asked of the silos' catalogs.
    /// A record leaves on its own a moment after its last call, so this waits, briefly, for either.</summary>
    public async Task<bool> LeavesMemoryAsync(IAddressable record, TimeSpan? patience = null)
    {
        for (var until = DateTime.UtcNow + (patience ?? TimeSpan.FromSeconds(10)); DateTime.UtcNow < until; await Task.Delay(20))
        {
            if (!await IsActiveAsync(record))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether a silo's catalog holds an activation of the record (the directory may answer from a stale cache).</summary>
    private async Task<bool> IsActiveAsync(IAddressable record) =>
        (await Grains.GetGrain<IManagementGrain>(0).GetActiveGrains(record.GetGrainId().Type)).Contains(record.GetGrainId());

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        private const string RealStorage = "local";

        /// <summary>One set of records for both silos, which run in this process: a grain that moves to the other
        /// silo reads what it wrote, as from a shared Redis.</summary>
        private static readonly LocalGrainStorage.Records Records = new();

        public void Configure(ISiloBuilder silo) => silo
            .ConfigureServices(services => services
                .AddKeyedSingleton<TimeProvider>(MarketTime.ServiceKey, Clock)
                .AddSingleton(provider => new FaultyStorage(provider.GetRequiredKeyedService<IGrainStorage>(RealStorage)))
                // Grains without a storage name take the unnamed service; the market asks for "Default" by name.
                .AddSingleton<IGrainStorage>(provider => provider.GetRequiredService<FaultyStorage>())
                .AddKeyedSingleton<IGrainStorage>(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME,
                    (provider, _) => provider.GetRequiredService<FaultyStorage>()))
            .AddIncomingGrainCallFilter(GrainCalls.CountAsync)
            .AddLocalGrainStorage(RealStorage, Records)
            .UseInMemoryReminderService()
            .AddCoopMarketGrains();
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
