using CoopMarket.Grains.Telemetry;
using Microsoft.Extensions.Configuration;
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
/// <remarks>Traces are recorded only when something takes them (<see cref="RecordsTraces"/>): a recorded span is an
/// object per grain call on each side, about twenty per place-request, and recording them for nobody was 5–6 % of a
/// loaded server's CPU (bench/RESULTS.md, session 8). Unrecorded, Orleans' and ASP.NET Core's activity sources have no
/// listener and start nothing.</remarks>
public static class HostTelemetry
{
    /// <summary>The variable the OpenTelemetry SDK reads its collector's address from.</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>Records traces even without an OTLP endpoint, for an exporter added in code (tests, a debugging host).</summary>
    public const string TracesSetting = "Telemetry:Traces";

    private const string OrleansMeter = "Microsoft.Orleans";

    /// <summary>Whether this host records traces: when they are sent by OTLP, or when <see cref="TracesSetting"/> says so.</summary>
    public static bool RecordsTraces(IConfiguration configuration) =>
        configuration.GetValue<bool?>(TracesSetting) ?? !string.IsNullOrWhiteSpace(configuration[OtlpEndpointVariable]);

    public static OpenTelemetryBuilder AddCoopMarketTelemetry(this IHostApplicationBuilder builder, string serviceName)
    {
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithMetrics(metrics => metrics
                .AddMeter(OrleansMeter, MarketInstruments.MeterName)
                .AddRuntimeInstrumentation()
                .AddHttpClientInstrumentation());
        if (RecordsTraces(builder.Configuration))
        {
            telemetry.WithTracing(tracing => tracing
                .AddSource(ActivitySources.AllActivitySourceName)
                .AddHttpClientInstrumentation());
        }

        if (!string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointVariable]))
        {
            telemetry.UseOtlpExporter();
        }

        return telemetry;
    }
}
