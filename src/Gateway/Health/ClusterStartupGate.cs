using CoopMarket.Hosting;

namespace CoopMarket.Gateway.Health;

internal static class ClusterStartupGate
{
    private const int RetryAfterSeconds = 2;

    /// <summary>Until the gateway has joined the cluster, every request but the health probes gets a 503 with
    /// Retry-After: the Orleans client cannot carry a call before then, and the API key check itself needs it.</summary>
    public static IApplicationBuilder UseClusterStartupGate(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var connection = context.RequestServices.GetRequiredService<ClusterConnection>();
        if (connection.IsJoined || context.Request.Path.StartsWithSegments("/health"))
        {
            await next(context);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = StatusCodes.Status503ServiceUnavailable, Title = "The gateway is still joining the cluster" },
        });
    });
}
