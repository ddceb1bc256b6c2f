using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace CoopMarket.Gateway.Security;

/// <summary>Authentication, authorization, rate limits, request limits and security headers, in one place.</summary>
internal static class SecuritySetup
{
    public const string AdminPolicy = "admin";
    public const long MaxBodyBytes = 64 * 1024;
    private const string ApiKeyOrCookie = "ApiKeyOrCookie";

    public static WebApplicationBuilder AddCoopMarketSecurity(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        AuthOptions.AddTo(services);
        RateLimitOptions.AddTo(services);
        services.AddSingleton<ApiKeys>();
        // The sign-in page speaks the reader's language, from the web app's resource files.
        services.AddLocalization();
        // The sign-in form's token (the web app's pages get theirs from Razor Pages, which adds the same service).
        services.AddAntiforgery();
        services.AddAuthentication(ApiKeyOrCookie)
            // The API takes bearer keys only, so no browser cookie can be ridden into a POST; the web app and the
            // dashboard, which people open in a browser, take the cookie that signing in with a key sets, and every
            // form of theirs carries an anti-forgery token.
            .AddPolicyScheme(ApiKeyOrCookie, null, o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.Count == 0 && !context.Request.Path.StartsWithSegments("/api")
                    ? CookieAuthenticationDefaults.AuthenticationScheme
                    : ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddCookie(o =>
            {
                o.LoginPath = "/signin";
                o.AccessDeniedPath = "/signin";
                o.Events.OnValidatePrincipal = SignInPage.ValidateAsync;
                o.Cookie.Name = "coopmarket-admin";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
            });
        services.AddAuthorizationBuilder().AddPolicy(AdminPolicy, p => p.RequireRole(Caller.Admin));
        services.AddRateLimiter(o =>
        {
            o.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(Partition),
                RegistrationLimits.PerClientAddress());
            o.OnRejected = async (rejected, cancellation) =>
            {
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
                rejected.HttpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                rejected.HttpContext.Response.Headers.RetryAfter = Math.Ceiling(retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                await rejected.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = rejected.HttpContext,
                    ProblemDetails = { Status = StatusCodes.Status429TooManyRequests, Title = "Too many requests", Detail = "Slow down and retry after the time in Retry-After." },
                });
            };
        });
        builder.WebHost.ConfigureKestrel(o => o.Limits.MaxRequestBodySize = MaxBodyBytes);
        builder.AddCoopMarketForwardedHeaders();
        builder.AddCoopMarketDataProtection();
        return builder;
    }

    public static WebApplication UseCoopMarketSecurity(this WebApplication app)
    {
        // First: everything after it (rate limits, the cookie's Secure flag) must see the real client and scheme.
        app.UseForwardedHeaders();
        app.Use(LimitsAndHeaders);
        // The web app's stylesheet and script are public and the same for everyone: served before authentication, so a
        // file costs no check of the participant's cookie (a grain call each) and no place in the participant's limit.
        app.UseStaticFiles();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        return app;
    }

    /// <summary>Per participant key, or per address for anonymous callers; the administrator and health probes are not limited.</summary>
    private static RateLimitPartition<string> Partition(HttpContext context)
    {
        var caller = Caller.From(context.User);
        if (caller.IsAdmin || context.Request.Path.StartsWithSegments("/health"))
        {
            return RateLimitPartition.GetNoLimiter("unlimited");
        }

        var limits = context.RequestServices.GetRequiredService<IOptionsMonitor<RateLimitOptions>>().CurrentValue;
        var (key, permits) = caller.ParticipantId is { } id
            ? ($"key:{id}", limits.PermitsPerMinute)
            : ($"address:{ClientScope.Of(context)}", limits.AnonymousPermitsPerMinute);
        return RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        });
    }

    private static async Task LimitsAndHeaders(HttpContext context, RequestDelegate next)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes;
        }

        // Some hosts (the test server among them) do not enforce the body limit: refuse a declared oversize here.
        if (context.Request.ContentLength > MaxBodyBytes)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = { Status = StatusCodes.Status413PayloadTooLarge, Title = "Request body too large", Detail = $"At most {MaxBodyBytes / 1024} KiB." },
            });
            return;
        }

        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            if (context.Response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true)
            {
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "no-referrer";
                headers.ContentSecurityPolicy = "frame-ancestors 'none'; base-uri 'self'; form-action 'self'";
            }

            return Task.CompletedTask;
        });
        await next(context);
    }

}
