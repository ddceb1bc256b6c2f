using CoopMarket.Gateway.Demo;
using CoopMarket.Grains.Market;
using CoopMarket.Grains.Paging;
using CoopMarket.Grains.Participants;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CoopMarket.Gateway.Tests.Deployment;

/// <summary>The demo's invented buyers rest real requests in the book: a production market must start empty unless
/// an operator asks for the demo.</summary>
[Collection(GatewayCollection.Name)]
public sealed class ProductionDefaultsTests(GatewayFactory factory)
{
    [Fact]
    public async Task A_gateway_in_Production_with_no_demo_setting_holds_an_empty_market()
    {
        await using var production = factory.WithWebHostBuilder(b => b.UseEnvironment(Environments.Production));

        var grains = await DemoFinishedAsync(production);

        Assert.Empty((await grains.GetGrain<IRegistryGrain>(IRegistryGrain.Cooperatives).ListAsync(PageRequest.First)).Ids);
        Assert.Empty((await grains.GetGrain<IRegistryGrain>(IRegistryGrain.Buyers).ListAsync(PageRequest.First)).Ids);
        var dragonFruit = await grains.GetGrain<IMarketGrain>("dragon-fruit").GetSummaryAsync();
        Assert.Empty(dragonFruit.OpenSupply);
        Assert.Empty(dragonFruit.OpenDemand);
        Assert.Empty(dragonFruit.RecentDeals);
    }

    /// <summary>The same check sees the demo where it is meant to load, so an empty market above is not an accident.</summary>
    [Fact]
    public async Task A_gateway_in_Development_loads_the_demo()
    {
        var grains = await DemoFinishedAsync(factory);

        Assert.NotEmpty((await grains.GetGrain<IRegistryGrain>(IRegistryGrain.Cooperatives).ListAsync(PageRequest.First)).Ids);
        Assert.NotEmpty((await grains.GetGrain<IMarketGrain>("dragon-fruit").GetSummaryAsync()).RecentDeals);
    }

    [Fact]
    public async Task Production_loads_the_demo_when_asked_explicitly()
    {
        await using var production = factory.WithWebHostBuilder(b => b.UseEnvironment(Environments.Production).UseSetting("Demo:Seed", "true"));

        var grains = await DemoFinishedAsync(production);

        Assert.NotEmpty((await grains.GetGrain<IRegistryGrain>(IRegistryGrain.Cooperatives).ListAsync(PageRequest.First)).Ids);
    }

    private static async Task<IGrainFactory> DemoFinishedAsync(WebApplicationFactory<Program> gateway)
    {
        var demo = gateway.Services.GetServices<IHostedService>().OfType<DistrictDemo>().Single();
        await demo.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(60));
        return gateway.Services.GetRequiredService<IGrainFactory>();
    }
}
