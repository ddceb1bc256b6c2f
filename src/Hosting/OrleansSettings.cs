using Microsoft.Extensions.Configuration;

namespace CoopMarket.Hosting;

/// <summary>How a host joins the cluster: the <c>Orleans</c> section plus <c>ConnectionStrings:Redis</c>.</summary>
public sealed record OrleansSettings
{
    public const string SectionName = "Orleans";

    public OrleansMode Mode { get; init; } = OrleansMode.Embedded;
    public string ClusterId { get; init; } = "coopmarket-dev";
    public string ServiceId { get; init; } = "coopmarket";
    public int SiloPort { get; init; } = 11111;
    public int GatewayPort { get; init; } = 30000;

    /// <summary>The address other silos reach this one at; loopback unless a deployment says otherwise.</summary>
    public string AdvertisedIp { get; init; } = "127.0.0.1";

    public string? RedisConnectionString { get; init; }

    /// <summary>Run the silo with Orleans' Kubernetes hosting: it names the silo after its pod and tells the cluster at
    /// once when a silo's pod is gone, instead of waiting for missed probes.</summary>
    public bool KubernetesHosting { get; init; }

    public static OrleansSettings From(IConfiguration configuration)
    {
        var settings = configuration.GetSection(SectionName).Get<OrleansSettings>() ?? new OrleansSettings();
        settings = settings with { RedisConnectionString = configuration.GetConnectionString("Redis") };
        if (settings.Mode == OrleansMode.Redis && string.IsNullOrWhiteSpace(settings.RedisConnectionString))
        {
            throw new InvalidOperationException("Orleans:Mode is Redis but ConnectionStrings:Redis is not set.");
        }

        return settings;
    }
}

public enum OrleansMode
{
    /// <summary>One process, localhost clustering, in-memory state: the platform on one machine.</summary>
    Embedded,

    /// <summary>Separate silo processes sharing Redis for membership, grain state and reminders.</summary>
    Redis,
}
