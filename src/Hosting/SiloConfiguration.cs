using System.Net;
using CoopMarket.Grains;
using CoopMarket.Grains.Catalog;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Dashboard;
using Orleans.Persistence;
using Orleans.Storage;

namespace CoopMarket.Hosting;

/// <summary>The one silo configuration, used by <c>src/Silo</c> and by the gateway's embedded silo.</summary>
public static class SiloConfiguration
{
    public static ISiloBuilder UseCoopMarket(this ISiloBuilder silo, IConfiguration configuration)
    {
        var settings = OrleansSettings.From(configuration);
        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = settings.ClusterId;
            o.ServiceId = settings.ServiceId;
        });

        if (settings.Mode == OrleansMode.Embedded)
        {
            silo.UseLocalhostClustering(settings.SiloPort, settings.GatewayPort, null, settings.ServiceId, settings.ClusterId)
                .AddMemoryGrainStorageAsDefault()
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

    /// <summary>What every silo needs whatever its clustering and storage: the dashboard and the seeded catalog.</summary>
    /// <remarks>Separate from <see cref="UseCoopMarket"/> so the test cluster, which brings its own clustering, shares it.</remarks>
    public static ISiloBuilder AddCoopMarketGrains(this ISiloBuilder silo) => silo
        .ConfigureServices(services =>
        {
            services.TryAddKeyedSingleton(MarketTime.ServiceKey, TimeProvider.System);
            // Grain state is made of [GenerateSerializer] records: store it with the version-tolerant Orleans
            // serializer rather than JSON, which cannot rebuild immutable records behind interface-typed lists.
            services.AddSingleton<IGrainStorageSerializer, OrleansGrainStorageSerializer>();
        })
        .AddDashboard()
        // Grain calls join the trace of the HTTP request (or grain call) that made them.
        .AddActivityPropagation()
        .AddStartupTask(static (services, _) =>
            services.GetRequiredService<IGrainFactory>()
                .GetGrain<ICatalogGrain>(ICatalogGrain.Key)
                .SeedAsync(DistrictCatalog.Products));
}
