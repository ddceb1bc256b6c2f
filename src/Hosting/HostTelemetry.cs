using CoopMarket.Grains.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Orleans.Diagnostics;

namespace CoopMarket.Hosting;

/// <summary>Traces and metrics of every host: Orleans' grain calls and meters, the market's meter, the runtime and
/// outgoing HTTP. They leave the process by OTLP only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, so a developer's
/// machine sends nothing anywhere.</summary>
public static class HostTelemetry
{
    /// <summary>The variable the OpenTelemetry SDK reads its collector's address from.</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    private const string OrleansMeter = "Microsoft.Orleans";

    public static OpenTelemetryBuilder AddCoopMarketTelemetry(this IHostApplicationBuilder builder, string serviceName)
    {
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithTracing(tracing => tracing
                .AddSource(ActivitySources.AllActivitySourceName)
                .AddHttpClientInstrumentation())
            .WithMetrics(metrics => metrics
                .AddMeter(OrleansMeter, MarketInstruments.MeterName)
                .AddRuntimeInstrumentation()
                .AddHttpClientInstrumentation());
        if (!string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointVariable]))
        {
            telemetry.UseOtlpExporter();
        }

        return telemetry;
    }
}
