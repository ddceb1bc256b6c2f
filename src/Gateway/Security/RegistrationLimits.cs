using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace CoopMarket.Gateway.Security;

/// <summary>Buyer self-registration, at most <see cref="RateLimitOptions.BuyerRegistrationsPerAddressPerHour"/> (10) an hour from one
/// client address (see <see cref="ClientScope"/>). Each registration is an account that may tie up supply, and the
/// per-minute limit alone would let one address open thousands a day. Every attempt counts, valid or not: counting only
/// the ones that succeed would mean checking after the fact, when parallel attempts have all got through.</summary>
/// <remarks>The administrator, who registers verified buyers for the district office, is not limited.</remarks>
internal static class RegistrationLimits
{
    public static PartitionedRateLimiter<HttpContext> PerClientAddress() =>
        PartitionedRateLimiter.Create<HttpContext, string>(context =>
            // The endpoint's metadata, not its path: routing already decided, whatever case or trailing slash was sent.
            // Only a POST registers: showing the web app's form is free.
            context.GetEndpoint()?.Metadata.GetMetadata<RegistersBuyerAttribute>() is not null
            && HttpMethods.IsPost(context.Request.Method)
            && !Caller.From(context.User).IsAdmin
                ? RateLimitPartition.GetFixedWindowLimiter($"register:{ClientScope.Of(context)}", _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = context.RequestServices.GetRequiredService<IOptionsMonitor<RateLimitOptions>>().CurrentValue.BuyerRegistrationsPerAddressPerHour,
                    Window = TimeSpan.FromHours(1),
                    QueueLimit = 0,
                })
                : RateLimitPartition.GetNoLimiter("not-registering"));
}
