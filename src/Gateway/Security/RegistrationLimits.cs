using System.Threading.RateLimiting;

namespace CoopMarket.Gateway.Security;

/// <summary>Buyer self-registration, at most <c>RateLimits:BuyerRegistrationsPerAddressPerHour</c> (10) an hour from one
/// client address (see <see cref="ClientScope"/>). Each registration is an account that may tie up supply, and the
/// per-minute limit alone would let one address open thousands a day. Every attempt counts, valid or not: counting only
/// the ones that succeed would mean checking after the fact, when parallel attempts have all got through.</summary>
/// <remarks>The administrator, who registers verified buyers for the district office, is not limited.</remarks>
internal static class RegistrationLimits
{
    public const string PermitsKey = "RateLimits:BuyerRegistrationsPerAddressPerHour";
    public const int DefaultPermits = 10;

    /// <summary>The endpoint's name, not its path: routing already decided, whatever case or trailing slash was sent.</summary>
    private const string RegisterBuyerEndpoint = "RegisterBuyer";

    public static PartitionedRateLimiter<HttpContext> PerClientAddress(IConfiguration configuration) =>
        PartitionedRateLimiter.Create<HttpContext, string>(context =>
            context.GetEndpoint()?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName == RegisterBuyerEndpoint
            && !Caller.From(context.User).IsAdmin
                ? RateLimitPartition.GetFixedWindowLimiter($"register:{ClientScope.Of(context)}", _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = configuration.GetValue(PermitsKey, DefaultPermits),
                    Window = TimeSpan.FromHours(1),
                    QueueLimit = 0,
                })
                : RateLimitPartition.GetNoLimiter("not-registering"));
}
