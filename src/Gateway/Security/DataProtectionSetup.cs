using CoopMarket.Hosting;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.StackExchangeRedis;
using StackExchange.Redis;

namespace CoopMarket.Gateway.Security;

/// <summary>The key ring that protects the admin cookie. Left to itself it lives in each process's home folder: every
/// gateway container would have its own, lost at each restart, and an administrator would be signed out whenever the
/// load balancer picked another gateway. In Redis mode it lives in Redis, beside the market's state, under
/// <c>{ServiceId}/data-protection-keys</c>, read through the process's one shared connection.</summary>
internal static class DataProtectionSetup
{
    /// <summary>Every gateway's, so that each can read what another protected. The default is the content root path,
    /// which differs between machines and images.</summary>
    public const string ApplicationName = "CoopMarket.Gateway";

    public static WebApplicationBuilder AddCoopMarketDataProtection(this WebApplicationBuilder builder)
    {
        var settings = OrleansSettings.From(builder.Configuration);
        builder.Services.AddDataProtection().SetApplicationName(ApplicationName);
        if (settings.Mode == OrleansMode.Redis)
        {
            // The repository asks for a database on each read and write of the ring, synchronously. The connection is
            // made once and kept (and retries by itself when Redis restarts), so only the very first call waits for it.
            builder.Services.AddOptions<KeyManagementOptions>().Configure<SharedRedis>((o, redis) =>
                o.XmlRepository = new RedisXmlRepository(() => redis.ConnectAsync().GetAwaiter().GetResult().GetDatabase(), KeyRingKey(settings.ServiceId)));
        }

        return builder;
    }

    public static RedisKey KeyRingKey(string serviceId) => $"{serviceId}/data-protection-keys";
}
