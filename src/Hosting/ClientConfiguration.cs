using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Dashboard;
using StackExchange.Redis;

namespace CoopMarket.Hosting;

/// <summary>How a gateway joins external silos in <see cref="OrleansMode.Redis"/> mode.</summary>
public static class ClientConfiguration
{
    public static IClientBuilder UseCoopMarket(this IClientBuilder client, IConfiguration configuration)
    {
        var settings = OrleansSettings.From(configuration);
        var redis = ConfigurationOptions.Parse(settings.RedisConnectionString!);
        return client
            .Configure<ClusterOptions>(o =>
            {
                o.ClusterId = settings.ClusterId;
                o.ServiceId = settings.ServiceId;
            })
            .UseRedisClustering(o => o.ConfigurationOptions = redis)
            .AddDashboard();
    }
}
