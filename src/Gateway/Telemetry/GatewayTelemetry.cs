using CoopMarket.Gateway.Security;
using CoopMarket.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace CoopMarket.Gateway.Telemetry;

/// <summary>The <c>Telemetry</c> section of the gateway.</summary>
internal sealed class TelemetryOptions
{
    public const string SectionName = "Telemetry";

    /// <summary>Serve metrics for Prometheus to scrape at <see cref="GatewayTelemetry.ScrapePath"/>, to the administrator only:
    /// they tell how busy each product's market is, which is nobody else's business.</summary>
    public bool Prometheus { get; init; }
}

/// <summary>The hosts' telemetry plus what only the gateway has: incoming HTTP requests and the scrape endpoint.</summary>
internal static class GatewayTelemetry
{
    public const string ScrapePath = "/metrics";

    public static WebApplicationBuilder AddCoopMarketGatewayTelemetry(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<TelemetryOptions>().BindConfiguration(TelemetryOptions.SectionName);
        var prometheus = builder.Configuration.GetSection(TelemetryOptions.SectionName).Get<TelemetryOptions>()?.Prometheus == true;
        var telemetry = builder.AddCoopMarketTelemetry("coopmarket-gateway");
        if (HostTelemetry.RecordsTraces(builder.Configuration))
        {
            // Probes arrive every few seconds from every orchestrator: tracing them would drown the requests that matter.
            telemetry.WithTracing(tracing => tracing.AddAspNetCoreInstrumentation(o => o.Filter = context => !context.Request.Path.StartsWithSegments("/health")));
        }

        telemetry.WithMetrics(metrics =>
        {
            metrics.AddAspNetCoreInstrumentation();
            if (prometheus)
            {
                metrics.AddPrometheusExporter();
            }
        });
        return builder;
    }

    public static WebApplication MapCoopMarketTelemetry(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<TelemetryOptions>>().Value.Prometheus)
        {
            app.MapPrometheusScrapingEndpoint(ScrapePath).RequireAuthorization(SecuritySetup.AdminPolicy);
        }

        return app;
    }
}
