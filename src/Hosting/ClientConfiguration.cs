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
