using System.Net;
using CoopMarket.Grains;
using CoopMarket.Grains.Catalog;
using CoopMarket.Grains.Notifications;
using CoopMarket.Grains.Market;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Dashboard;
using Orleans.Persistence;
using Orleans.Providers;
using Orleans.Runtime.Hosting;
using Orleans.Storage;

namespace CoopMarket.Hosting;

/// <summary>The one silo configuration, used by <c>src/Silo</c> and by the gateway's embedded silo.</summary>
public static partial class SiloConfiguration
{
    public static ISiloBuilder UseCoopMarket(this ISiloBuilder silo, IConfiguration configuration)
    {
        var settings = OrleansSettings.From(configuration);
        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = settings.ClusterId;
            o.ServiceId = settings.ServiceId;
        });
        silo.Configure<ClusterMembershipOptions>(o =>
        {
            // A silo that joins pings every silo the membership table calls active and, if one fails, tries again a
            // probe timeout later. After a crash of the whole cluster the table still calls the dead generations
            // active until their successors or their peers' votes retire them, so the join advances in steps of this
            // timeout: 3 s instead of 5 s. Not lower: probes then also judge live silos, and a loaded 2-core machine
            // answers slowly at times (Orleans stretches the timeout up to 4x on slow answers and local degradation).
            o.ProbeTimeout = TimeSpan.FromSeconds(3);
            // Three missed probes before a silo suspects another, as by default, set here on purpose: two slow answers
            // in a row are common on a busy machine, and a silo declared dead by mistake kills itself.
            o.NumMissedProbesLimit = 3;
            // A silo that restarts on its old endpoint retires its dead predecessor's entry as it joins; when that
            // write loses a race with the other silos joining at the same moment, it tries again only at its next
            // read of the table. Seen here: with the default minute, the predecessor stayed "active" for 40-80 s,
            // the other silos could not finish joining, and the directory kept routing calls to the dead silo.
            // 5 s bounds that wait, for one small read of the membership hash every 5 s per silo.
            o.TableRefreshTimeout = TimeSpan.FromSeconds(5);
        });
        // A response is sent once: when the connection between two silos drops while it is on its way, the silo drops
        // it ("dropping message Response … Reason: Connection terminated") and the caller waits out its whole response
        // timeout. Connections drop as a cluster settles after a crash or a silo restart, and the caller is often a
        // grain that takes one call at a time (the catalog fanning out to its products, a market carrying an entry to
        // its records), so every call behind it waited too. Seen here (tests/Deploy.Tests with debug logs): the catalog
        // held for the default 30 s after a restart of the whole cluster, and CI saw a place-request's client give up
        // twice in a row after one. Every grain call here completes in milliseconds,
        // and the slowest that still succeed wait on Redis, whose commands give up after 5 s; 10 s leaves twice that
        // and bounds a lost response to what the gateway's own timeout allows its caller.
        silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(10));
        silo.Services.AddSingleton<ClusterConnection>();
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(s => s.GetRequiredService<ClusterConnection>());

        if (settings.Mode == OrleansMode.Embedded)
        {
            silo.UseLocalhostClustering(settings.SiloPort, settings.GatewayPort, null, settings.ServiceId, settings.ClusterId)
                .AddLocalGrainStorage(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, new LocalGrainStorage.Records())
                .UseInMemoryReminderService();
        }
        else
        {
            var redis = new SharedRedis(settings.RedisConnectionString!);
            silo.ConfigureEndpoints(IPAddress.Parse(settings.AdvertisedIp), settings.SiloPort, settings.GatewayPort, listenOnAnyHostAddress: true)
                .ConfigureServices(services => services.AddSingleton(redis))
                .UseRedisClustering(o =>
                {
                    o.ConfigurationOptions = redis.Options;
                    o.CreateMultiplexer = redis.ConnectSharedAsync;
                })
                .AddRedisGrainStorageAsDefault((RedisStorageOptions o) =>
                {
                    o.ConfigurationOptions = redis.Options;
                    o.CreateMultiplexer = redis.ConnectSharedAsync;
                    // A market's old snapshot pages are cleared once no snapshot names them: cleared means gone, not an empty key.
                    o.DeleteStateOnClear = true;
                })
                .UseRedisReminderService(o =>
                {
                    o.ConfigurationOptions = redis.Options;
                    o.CreateMultiplexer = redis.ConnectSharedAsync;
                });
            if (settings.KubernetesHosting)
            {
                // A silo the cluster declared dead may still run, wedged: delete its pod so Kubernetes starts a fresh one.
                silo.UseKubernetesHosting(o => o.Configure(k => k.DeleteDefunctSiloPods = true));
            }
        }

        return silo.AddCoopMarketGrains();
    }

    /// <summary>Stores grain state under <paramref name="name"/> in <paramref name="records"/>, in this process's memory
    /// (see <see cref="LocalGrainStorage"/>).</summary>
    public static ISiloBuilder AddLocalGrainStorage(this ISiloBuilder silo, string name, LocalGrainStorage.Records records) =>
        silo.ConfigureServices(services => services.AddGrainStorage(name,
            (provider, _) => ActivatorUtilities.CreateInstance<LocalGrainStorage>(provider, records)));

    /// <summary>What every silo needs whatever its clustering and storage: the dashboard and the seeded catalog.</summary>
    /// <remarks>Separate from <see cref="UseCoopMarket"/> so the test cluster, which brings its own clustering, shares it.</remarks>
    public static ISiloBuilder AddCoopMarketGrains(this ISiloBuilder silo) => silo
        .ConfigureServices(services =>
        {
            services.TryAddKeyedSingleton(MarketTime.ServiceKey, TimeProvider.System);
            services.AddCoopMarketWebhooks();
            services.AddOptions<MarketOptions>().BindConfiguration(MarketOptions.Section)
                .Validate(o => o.IsValid, "Market:ConfirmWithin must be from 1 minute to 30 days.").ValidateOnStart();
            // Grain state is made of [GenerateSerializer] records: store it with the version-tolerant Orleans
            // serializer rather than JSON, which cannot rebuild immutable records behind interface-typed lists.
            services.AddSingleton<IGrainStorageSerializer, PooledGrainStorageSerializer>();
        })
        .AddDashboard()
        // The dashboard samples every Orleans gauge once a second, and the grain directory's cache-size gauge counts its
        // cache entry by entry. Every command activates new grains (its request's and deal's records), so with the default
        // capacity of a million that count grew with the load: 6-19 % of a Redis-mode silo's CPU (bench/RESULTS.md). The
        // grains worth caching are few (markets, participants, the catalog); a record is called in a burst after its
        // command, well within the newest 10,000 entries. A miss costs one lookup in the directory itself.
        .Configure<GrainDirectoryOptions>(o => o.CacheSize = DirectoryCacheSize)
        // Grain calls join the trace of the HTTP request (or grain call) that made them.
        .AddActivityPropagation()
        .AddStartupTask(SeedCatalogAsync);

    /// <summary>The catalog's products, seeded by every silo as it starts (the seed changes nothing the second time).</summary>
    /// <remarks>A silo that comes back after a crash makes this call while the cluster still settles: the directory may
    /// route it to the silo's own dead predecessor, not yet retired, and the call is rejected. Seen here: the failed
    /// call aborted the silo's start, which left that predecessor listed as active, and the silos that were still
    /// joining waited 80 s for it. So transient failures are retried for a minute; what fails past that still stops the
    /// silo, as a start that cannot reach its own cluster should.</remarks>
    private static async Task SeedCatalogAsync(IServiceProvider services, CancellationToken cancellation)
    {
        var catalog = services.GetRequiredService<IGrainFactory>().GetGrain<ICatalogGrain>(ICatalogGrain.Key);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await catalog.SeedAsync(DistrictCatalog.Products);
                return;
            }
            catch (Exception e) when (e is OrleansException or TimeoutException && attempt < SeedAttempts)
            {
                LogSeedRetried(services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SiloConfiguration)), e, attempt);
                await Task.Delay(SeedRetryDelay, cancellation);
            }
        }
    }

    private const int DirectoryCacheSize = 10_000;
    private const int SeedAttempts = 60;
    private static readonly TimeSpan SeedRetryDelay = TimeSpan.FromSeconds(1);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Seeding the catalog failed (attempt {Attempt}) while the cluster settles; retrying")]
    private static partial void LogSeedRetried(ILogger logger, Exception exception, int attempt);
}
