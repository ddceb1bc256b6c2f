using System.ComponentModel.DataAnnotations;

namespace CoopMarket.Gateway.Notifications;

/// <summary>The <c>Notifications</c> section: how the live event streams keep their connections.</summary>
internal sealed class LiveEventsOptions
{
    public const string SectionName = "Notifications";

    /// <summary>Seconds between heartbeat comments on an idle stream: under the idle timeouts of common proxies (60 s),
    /// and the interval at which a stream renews its watch and rereads its inbox, so a lost wake-up costs at most this.</summary>
    [Range(1, 300, ErrorMessage = "Notifications:HeartbeatSeconds (Notifications__HeartbeatSeconds) must be a whole number from 1 to 300.")]
    public int HeartbeatSeconds { get; init; } = 15;

    public static void AddTo(IServiceCollection services) =>
        services.AddOptions<LiveEventsOptions>().BindConfiguration(SectionName).ValidateDataAnnotations().ValidateOnStart();
}
