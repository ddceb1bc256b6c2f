using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CoopMarket.Gateway.Tests.Apis;

[Collection(GatewayCollection.Name)]
public sealed class BenchApiTests(GatewayFactory factory)
{
    private const string CallsHeader = "x-test-grain-calls";

    /// <summary>The grain calls made by the current HTTP request, when a test is recording them.</summary>
    private static readonly AsyncLocal<List<string>?> RequestCalls = new();

    [Fact]
    public async Task The_floor_endpoint_does_not_exist_unless_a_setting_enables_it()
    {
        var response = await factory.CreateClient().GetAsync(new Uri("/bench/floor", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain(factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>(),
            e => e.RoutePattern.RawText?.Contains("bench", StringComparison.OrdinalIgnoreCase) == true);
    }

    [Fact]
    public async Task Enabled_the_floor_endpoint_makes_exactly_one_no_op_grain_call()
    {
        // A host of its own (a second silo in this process): the setting decides what is mapped at start-up.
        using var enabled = factory.WithWebHostBuilder(builder =>
        {
            builder.UseSetting("Bench:FloorEndpoint", "true");
            builder.UseSetting("Demo:Seed", "false");
            builder.ConfigureServices(services =>
            {
                services.AddSingleton<IOutgoingGrainCallFilter, RecordingFilter>();
                services.AddSingleton<IStartupFilter, RecordGrainCalls>();
            });
        });
        var client = enabled.CreateClient();

        for (var i = 0; i < 3; i++)
        {
            var response = await client.GetAsync(new Uri("/bench/floor", UriKind.Relative));

            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
            Assert.Equal("IFloorGrain.PingAsync", Assert.Single(response.Headers.GetValues(CallsHeader)));
        }
    }

    private sealed class RecordingFilter : IOutgoingGrainCallFilter
    {
        public async Task Invoke(IOutgoingGrainCallContext call)
        {
            RequestCalls.Value?.Add($"{call.InterfaceMethod.DeclaringType?.Name}.{call.InterfaceMethod.Name}");
            await call.Invoke();
        }
    }

    /// <summary>Records, per request, every grain call the request makes and reports them in a response header.</summary>
    private sealed class RecordGrainCalls : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, nextMiddleware) =>
            {
                var calls = new List<string>();
                RequestCalls.Value = calls;
                context.Response.OnStarting(() =>
                {
                    context.Response.Headers[CallsHeader] = string.Join(",", calls);
                    return Task.CompletedTask;
                });
                await nextMiddleware(context);
            });
            next(app);
        };
    }
}
