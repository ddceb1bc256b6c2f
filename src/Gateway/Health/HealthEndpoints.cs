using CoopMarket.Hosting;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace CoopMarket.Gateway.Health;

internal static class HealthEndpoints
{
    private const string ReadyTag = "ready";

    public static IServiceCollection AddCoopMarketHealth(this IServiceCollection services, OrleansMode mode)
    {
        var checks = services.AddHealthChecks().AddCheck<OrleansReadyCheck>("orleans", tags: [ReadyTag], timeout: TimeSpan.FromSeconds(5));
        if (mode == OrleansMode.Redis)
        {
            checks.AddCheck<RedisReadyCheck>("redis", tags: [ReadyTag], timeout: TimeSpan.FromSeconds(3));
        }

        return services;
    }

    public static IEndpointRouteBuilder MapCoopMarketHealth(this IEndpointRouteBuilder app)
    {
        // Live asks nothing of Orleans: a slow cluster must not get a healthy process restarted.
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) });
        return app;
    }
}
