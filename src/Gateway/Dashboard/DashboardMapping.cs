using CoopMarket.Gateway.Security;
using Orleans.Dashboard;

namespace CoopMarket.Gateway.Dashboard;

/// <summary>The Orleans dashboard at <c>/dashboard</c>, for the administrator only, with its per-silo endpoints guarded
/// against addresses that name no silo.</summary>
internal static class DashboardMapping
{
    public const string Prefix = "/dashboard";

    /// <summary>The dashboard's route values that carry a silo address, by the endpoint's route pattern. The dashboard hands
    /// any text to Orleans as a silo address: a malformed one fails with a 500, and one of no silo waits for a silo that is
    /// not there and answers 503 as if the cluster were down.</summary>
    private static readonly Dictionary<string, string> SiloRouteValues = new(StringComparer.OrdinalIgnoreCase)
    {
        [$"{Prefix}/SiloCounters/{{*address}}"] = "address",
        [$"{Prefix}/SiloStats/{{*address}}"] = "address",
        [$"{Prefix}/SiloProperties/{{*address}}"] = "address",
        [$"{Prefix}/SiloMetadata/{{*address}}"] = "address",
        [$"{Prefix}/HistoricalStats/{{*path}}"] = "path",
    };

    public static IEndpointRouteBuilder MapCoopMarketDashboard(this IEndpointRouteBuilder app)
    {
        app.MapOrleansDashboard(Prefix).RequireAuthorization(SecuritySetup.AdminPolicy).ExcludeFromDescription()
            .AddEndpointFilter(async (context, next) =>
            {
                var http = context.HttpContext;
                if (http.GetEndpoint() is RouteEndpoint { RoutePattern.RawText: { } template }
                    && SiloRouteValues.TryGetValue(template, out var name)
                    && !await IsActiveSiloAsync(http.RequestServices.GetRequiredService<IGrainFactory>(), http.Request.RouteValues[name] as string))
                {
                    return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown silo",
                        detail: "No active silo of this cluster has that address; the dashboard's silo list names them.");
                }

                return await next(context);
            });
        return app;
    }

    /// <summary>Compared as text with the addresses the cluster reports, so hostile input is never parsed.</summary>
    private static async Task<bool> IsActiveSiloAsync(IGrainFactory grains, string? address) =>
        address is { Length: > 0 } && (await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true)).Keys.Any(s => s.ToParsableString() == address);
}
