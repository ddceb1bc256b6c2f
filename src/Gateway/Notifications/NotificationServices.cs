using CoopMarket.Grains.Notifications;

namespace CoopMarket.Gateway.Notifications;

internal static class NotificationServices
{
    /// <summary>The live event streams, and the webhook address rule the registration checks (the silo's own, so a URL
    /// the gateway accepts is one the silo will send to).</summary>
    public static IServiceCollection AddCoopMarketNotifications(this IServiceCollection services)
    {
        LiveEventsOptions.AddTo(services);
        services.AddSingleton<LiveEvents>();
        services.AddCoopMarketWebhooks();
        return services;
    }
}
