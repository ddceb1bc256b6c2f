using CoopMarket.Grains.Bench;
using Microsoft.Extensions.Options;

namespace CoopMarket.Gateway.Apis;

/// <summary>The load benchmark's floor (bench/LoadGen <c>--floor</c>): one no-op grain call behind the same middleware as
/// the market's commands. Mapped only when <c>Bench:FloorEndpoint</c> is true, so a deployment never exposes it.</summary>
internal static class BenchApi
{
    public static IEndpointRouteBuilder MapBenchApi(this IEndpointRouteBuilder app)
    {
        if (app.ServiceProvider.GetRequiredService<IOptions<BenchOptions>>().Value.FloorEndpoint)
        {
            // Anonymous on purpose: authenticating a participant key is itself a grain call, and the floor must make one.
            app.MapGet("/bench/floor", async (IGrainFactory grains) =>
                {
                    await grains.GetGrain<IFloorGrain>(0).PingAsync();
                    return TypedResults.NoContent();
                })
                .AllowAnonymous().ExcludeFromDescription().WithName("BenchFloor");
        }

        return app;
    }
}
