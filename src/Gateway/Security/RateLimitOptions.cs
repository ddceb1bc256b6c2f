using System.ComponentModel.DataAnnotations;

namespace CoopMarket.Gateway.Security;

/// <summary>The <c>RateLimits</c> section, read once and checked at start: a limit of 0 or a word where a number goes
/// stops the gateway naming the setting, instead of locking every caller out (or failing each request) later.</summary>
internal sealed class RateLimitOptions
{
    public const string SectionName = "RateLimits";

    /// <summary>Requests a participant key may make a minute.</summary>
    [Range(1, int.MaxValue, ErrorMessage = "RateLimits:PermitsPerMinute (RateLimits__PermitsPerMinute) must be a whole number of at least 1.")]
    public int PermitsPerMinute { get; init; } = 600;

    /// <summary>Requests one client address may make a minute without a key.</summary>
    [Range(1, int.MaxValue, ErrorMessage = "RateLimits:AnonymousPermitsPerMinute (RateLimits__AnonymousPermitsPerMinute) must be a whole number of at least 1.")]
    public int AnonymousPermitsPerMinute { get; init; } = 120;

    /// <summary>Buyer self-registrations one client address may attempt an hour (see <see cref="RegistrationLimits"/>).</summary>
    [Range(1, int.MaxValue, ErrorMessage = "RateLimits:BuyerRegistrationsPerAddressPerHour (RateLimits__BuyerRegistrationsPerAddressPerHour) must be a whole number of at least 1.")]
    public int BuyerRegistrationsPerAddressPerHour { get; init; } = 10;

    public static void AddTo(IServiceCollection services) =>
        services.AddOptions<RateLimitOptions>().BindConfiguration(SectionName).ValidateDataAnnotations().ValidateOnStart();
}
