using CoopMarket.Hosting;
using CoopMarket.Tests;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Configuration;
using Orleans.Persistence;
using Orleans.Serialization;
using Orleans.Storage;

namespace CoopMarket.Grains.Tests.Hosting;

/// <summary>What this codebase relies on from grain storage, checked alike against the embedded mode's
/// <see cref="LocalGrainStorage"/> and the Redis provider as <see cref="SiloConfiguration"/> sets it up.</summary>
public abstract class GrainStorageContract
{
    private const string StateName = "tally";

    protected abstract IGrainStorage Storage { get; }

    [Fact]
    public async Task A_missing_record_reads_as_a_new_state_without_etag()
    {
        var read = await ReadAsync(NewId());

        Assert.False(read.RecordExists);
        Assert.Null(read.ETag);
        Assert.Empty(read.State!.Counts);
    }

    [Fact]
    public async Task A_record_reads_back_as_written_with_the_etag_its_write_returned()
    {
        var id = NewId();
        var written = new GrainState<Tally>(new Tally { Counts = [1, 2] });
        await Storage.WriteStateAsync(StateName, id, written);

        var read = await ReadAsync(id);

        Assert.True(written.RecordExists);
        Assert.NotNull(written.ETag);
        Assert.Equal((true, written.ETag), (read.RecordExists, read.ETag));
        Assert.Equal([1, 2], read.State!.Counts);
    }

    /// <summary>The market journal's create-only entry writes: an entry number is never written twice.</summary>
    [Fact]
    public async Task A_write_without_etag_is_refused_over_an_existing_record()
    {
        var id = NewId();
        await Storage.WriteStateAsync(StateName, id, new GrainState<Tally>(new Tally { Counts = [1] }));

        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync(StateName, id, new GrainState<Tally>(new Tally { Counts = [2] })));
        Assert.Equal([1], (await ReadAsync(id)).State!.Counts);
    }

    [Fact]
    public async Task A_write_or_clear_with_a_stale_etag_is_refused()
    {
        var id = NewId();
        var first = new GrainState<Tally>(new Tally { Counts = [1] });
        await Storage.WriteStateAsync(StateName, id, first);
        var stale = first.ETag;
        await Storage.WriteStateAsync(StateName, id, first);

        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync(StateName, id, new GrainState<Tally>(new Tally { Counts = [2] }) { ETag = stale }));
        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.ClearStateAsync(StateName, id, new GrainState<Tally>(new Tally()) { ETag = stale }));
        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.ClearStateAsync(StateName, id, new GrainState<Tally>(new Tally())));
        var read = await ReadAsync(id);
        Assert.Equal((true, first.ETag), (read.RecordExists, read.ETag));
        Assert.Equal([1], read.State!.Counts);
    }

    /// <summary>An etag names a version of a record that exists: one that names nothing stored (a record cleared
    /// meanwhile, or never written) is refused too.</summary>
    [Fact]
    public async Task A_write_with_an_etag_is_refused_where_no_record_is_stored()
    {
        var id = NewId();
        var state = new GrainState<Tally>(new Tally { Counts = [1] });
        await Storage.WriteStateAsync(StateName, id, state);
        var etag = state.ETag;
        await Storage.ClearStateAsync(StateName, id, state);

        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync(StateName, id, new GrainState<Tally>(new Tally()) { ETag = etag }));
        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync(StateName, NewId(), new GrainState<Tally>(new Tally()) { ETag = etag }));
        Assert.False((await ReadAsync(id)).RecordExists);
    }

    /// <summary>A market's retired snapshot pages are cleared: cleared means gone, and the name can be written anew.</summary>
    [Fact]
    public async Task A_cleared_record_is_gone_and_a_write_without_etag_creates_it_again()
    {
        var id = NewId();
        var state = new GrainState<Tally>(new Tally { Counts = [1] });
        await Storage.WriteStateAsync(StateName, id, state);

        await Storage.ClearStateAsync(StateName, id, state);
        var cleared = await ReadAsync(id);
        await Storage.WriteStateAsync(StateName, id, new GrainState<Tally>(new Tally { Counts = [3] }));

        Assert.Equal((false, null), (state.RecordExists, state.ETag));
        Assert.Empty(state.State!.Counts);
        Assert.Equal((false, null), (cleared.RecordExists, cleared.ETag));
        Assert.Equal([3], (await ReadAsync(id)).State!.Counts);
    }

    [Fact]
    public async Task A_clear_without_etag_of_a_missing_record_succeeds()
    {
        var state = new GrainState<Tally>(new Tally { Counts = [1] });

        await Storage.ClearStateAsync(StateName, NewId(), state);

        Assert.Equal((false, null), (state.RecordExists, state.ETag));
    }

    /// <summary>A grain that changes its state object after a write, or a reader that changes what it read, changes
    /// no stored record and no other reader's copy.</summary>
    [Fact]
    public async Task Stored_records_share_no_object_with_writers_or_readers()
    {
        var id = NewId();
        var written = new Tally { Counts = [1] };
        await Storage.WriteStateAsync(StateName, id, new GrainState<Tally>(written));

        written.Counts.Add(2);
        var first = await ReadAsync(id);
        first.State!.Counts.Add(3);

        Assert.Equal([1], (await ReadAsync(id)).State!.Counts);
    }

    private async Task<GrainState<Tally>> ReadAsync(GrainId id)
    {
        var state = new GrainState<Tally>();
        await Storage.ReadStateAsync(StateName, id, state);
        return state;
    }

    private static GrainId NewId() => GrainId.Create("storage-contract", Guid.NewGuid().ToString("N"));

    /// <summary>The services a grain storage takes from its silo, with the silo's grain storage serializer.</summary>
    protected static IServiceCollection StorageServices() => new ServiceCollection()
        .AddLogging()
        .AddSerializer(s => s.AddAssembly(typeof(GrainStorageContract).Assembly))
        .AddSingleton<IGrainStorageSerializer, PooledGrainStorageSerializer>();

    /// <summary>A mutable state, so that a shared object would show.</summary>
    [GenerateSerializer]
    public sealed class Tally
    {
        [Id(0)]
        public List<int> Counts { get; set; } = [];
    }
}

public sealed class LocalGrainStorageContractTests : GrainStorageContract
{
    protected override IGrainStorage Storage { get; } =
        ActivatorUtilities.CreateInstance<LocalGrainStorage>(StorageServices().BuildServiceProvider(), new LocalGrainStorage.Records());
}

public sealed class RedisGrainStorageContractTests(RedisGrainStorageContractTests.RedisStorage redis)
    : GrainStorageContract, IClassFixture<RedisGrainStorageContractTests.RedisStorage>
{
    protected override IGrainStorage Storage => redis.Storage;

    /// <summary>The Redis provider with the options <see cref="SiloConfiguration"/> gives it, on a Redis of its own.</summary>
    public sealed class RedisStorage : IAsyncLifetime
    {
        private TestRedis? redis;
        private ServiceProvider? services;

        public IGrainStorage Storage { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            redis = await TestRedis.StartAsync();
            var shared = new SharedRedis(redis.ConnectionString);
            services = StorageServices()
                .Configure<ClusterOptions>(o => o.ServiceId = $"contract-{Guid.NewGuid():N}")
                .AddRedisGrainStorage("contract", (RedisStorageOptions o) =>
                {
                    o.ConfigurationOptions = shared.Options;
                    o.CreateMultiplexer = shared.ConnectSharedAsync;
                    o.DeleteStateOnClear = true;
                })
                .BuildServiceProvider();
            Storage = services.GetRequiredKeyedService<IGrainStorage>("contract");
            // The provider connects as its silo starts.
            var lifecycle = new SiloLifecycleSubject(NullLogger<SiloLifecycleSubject>.Instance);
            ((ILifecycleParticipant<ISiloLifecycle>)Storage).Participate(lifecycle);
            await lifecycle.OnStart();
        }

        public async Task DisposeAsync()
        {
            if (services is not null)
            {
                await services.DisposeAsync();
            }

            if (redis is not null)
            {
                await redis.DisposeAsync();
            }
        }
    }
}
