using System.Collections.ObjectModel;
using System.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using CoopMarket.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace CoopMarket.Gateway.Tests.Deployment;

/// <summary>An operator follows one buyer's request from the HTTP call into the market grain that matched it.</summary>
[Collection(GatewayCollection.Name)]
public sealed class TracingTests(GatewayFactory factory)
{
    [Fact]
    public async Task A_place_request_is_one_trace_from_the_gateway_into_the_market_grain()
    {
        var spans = new Spans();
        await using var traced = factory.WithWebHostBuilder(b => b
            .UseSetting("Demo:Seed", "false")
            .UseSetting(HostTelemetry.TracesSetting, "true")
            .ConfigureServices(services => services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(spans))));
        var admin = new Api(traced.CreateClient(), GatewayFactory.AdminKey);
        var buyer = await admin.BuyerAsync();

        await buyer.Api.CreatedAsync($"/api/buyers/{buyer.Id}/requests", new
        {
            product = "dragon-fruit",
            quantityKg = 100,
            minGrade = "B",
            deliverFrom = factory.Today.AddDays(14),
            deliverBy = factory.Today.AddDays(27),
            maxVndPerKg = 20_000,
            deliveryLocation = "Ha Noi",
        });

        // This buyer's request only: the tracer listens to ASP.NET Core's and Orleans' sources, which every test host in
        // the process shares, and tests of other collections place requests meanwhile.
        bool IsThisPlaceRequest(Activity span) => IsPlaceRequest(span) && span.GetTagItem("url.path") as string == $"/api/buyers/{buyer.Id}/requests";
        var all = await spans.WaitForAsync(IsThisPlaceRequest);
        var http = Assert.Single(all, IsThisPlaceRequest);
        var trace = all.Where(s => s.TraceId == http.TraceId).ToList();
        var market = Assert.Single(trace, s => s.Kind == ActivityKind.Server && s.Source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal)
            && s.DisplayName.Contains("IMarketGrain/PlaceRequest", StringComparison.Ordinal));
        Assert.Contains(http, Ancestors(market, trace));
    }

    [Fact]
    public async Task A_gateway_with_nowhere_to_send_traces_records_none()
    {
        await using var untraced = factory.WithWebHostBuilder(b => b.UseSetting("Demo:Seed", "false"));

        // Without a tracer provider nothing listens to Orleans' or ASP.NET Core's activity sources, so no grain call or
        // request starts a span; with one, every call would, for no reader.
        Assert.Null(untraced.Services.GetService<TracerProvider>());
    }

    [Theory]
    [InlineData(null, null, false)]
    [InlineData("http://collector:4317", null, true)]
    [InlineData(null, "true", true)]
    [InlineData("http://collector:4317", "false", false)]
    public void Traces_are_recorded_when_they_are_sent_or_asked_for(string? endpoint, string? setting, bool recorded)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [HostTelemetry.OtlpEndpointVariable] = endpoint,
            [HostTelemetry.TracesSetting] = setting,
        }).Build();

        Assert.Equal(recorded, HostTelemetry.RecordsTraces(configuration));
    }

    private static bool IsPlaceRequest(Activity span) => span.Kind == ActivityKind.Server && span.DisplayName == "POST /api/buyers/{id}/requests";

    private static IEnumerable<Activity> Ancestors(Activity span, List<Activity> trace)
    {
        for (var parent = trace.Find(s => s.SpanId == span.ParentSpanId); parent is not null; parent = trace.Find(s => s.SpanId == parent.ParentSpanId))
        {
            yield return parent;
        }
    }

    /// <summary>The exporter adds spans from whichever thread ends them.</summary>
    private sealed class Spans : Collection<Activity>
    {
        private readonly Lock gate = new();

        /// <summary>The server span ends just after the response is sent, so it may reach the exporter a moment later.</summary>
        public async Task<List<Activity>> WaitForAsync(Predicate<Activity> span)
        {
            for (var attempt = 0; ; attempt++)
            {
                List<Activity> all;
                lock (gate)
                {
                    all = [.. this];
                }

                if (all.Exists(span) || attempt == 50)
                {
                    return all;
                }

                await Task.Delay(100);
            }
        }

        protected override void InsertItem(int index, Activity item)
        {
            lock (gate)
            {
                base.InsertItem(index, item);
            }
        }
    }
}
