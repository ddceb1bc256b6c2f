using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Dashboard;
using Microsoft.Extensions.DependencyInjection;

namespace CoopMarket.Hosting;

/// <summary>How a gateway joins external silos in <see cref="OrleansMode.Redis"/> mode.</summary>
public static class ClientConfiguration
{
    public static IClientBuilder UseCoopMarket(this IClientBuilder client, IConfiguration configuration)
    {
        var settings = OrleansSettings.From(configuration);
        var redis = new SharedRedis(settings.RedisConnectionString!);
        client.Services.AddSingleton(redis);
        client.Services.AddSingleton<ClusterConnection>();
        client.Services.AddSingleton<ILifecycleParticipant<IClusterClientLifecycle>>(s => s.GetRequiredService<ClusterConnection>());
        return client
            .Configure<ClusterOptions>(o =>
            {
                o.ClusterId = settings.ClusterId;
                o.ServiceId = settings.ServiceId;
            })
            .UseRedisClustering(o =>
            {
                o.ConfigurationOptions = redis.Options;
                o.CreateMultiplexer = redis.ConnectSharedAsync;
            })
            // After a crash of the whole cluster the membership table still lists the dead silos' gateways. The client
            // drops the generation from every gateway address (it connects by endpoint), so silos that come back on
            // their old endpoints are found again; but a gateway it marked dead stays out of its list for one refresh
            // period unless all are dead. 5 s instead of a minute lets it take back a silo that was still joining when
            // it was first tried; the price is one read of the membership hash every 5 s per gateway.
            .Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(5))
            // While the cluster recovers, the client's first calls (its cluster manifest among them) can go to a silo
            // that never answers; each such call holds start-up for the whole response timeout, 30 s by default. 10 s
            // is the longest a caller of the API waits anyway, and a timed-out call is a 503 its client retries with
            // its idempotency key.
            .Configure<ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(10))
            // Silos may start after the gateway, or all be restarting: keep trying rather than give up at start-up.
            .UseConnectionRetryFilter(async (_, cancellation) =>
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellation);
                return true;
            })
            .AddActivityPropagation()
            .AddDashboard();
    }
}
