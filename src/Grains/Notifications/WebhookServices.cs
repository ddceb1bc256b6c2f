using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace CoopMarket.Grains.Notifications;

public static class WebhookServices
{
    /// <summary>The address rule and the sender; private and loopback addresses are reachable only in Development,
    /// where a developer's (or a test's) receiver runs on the same machine.</summary>
    public static IServiceCollection AddCoopMarketWebhooks(this IServiceCollection services)
    {
        services.TryAddSingleton(s => new WebhookAddresses(s.GetRequiredService<IHostEnvironment>().IsDevelopment()));
        services.TryAddSingleton<WebhookSender>();
        return services;
    }
}
