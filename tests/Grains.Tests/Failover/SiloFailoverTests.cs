using System.Collections.Concurrent;
using CoopMarket.Grains.Market;
using CoopMarket.Grains.Tests.Market;
using Orleans.TestingHost;

namespace CoopMarket.Grains.Tests.Failover;

/// <summary>Buyers race for lots while a silo dies; afterwards every acknowledged write is there and no kilogram
/// was sold twice, lost or invented.</summary>
[Collection(RedisClusterCollection.Name)]
public sealed class SiloFailoverTests(RedisClusterFixture fixture)
{
    private const int Lots = 40;
    private const long LotKg = 100;
    private const int Requests = 240;

    private int retries;

    [Fact]
    public async Task Killing_a_silo_under_load_loses_no_acknowledged_write_and_oversells_nothing()
    {
        var grains = fixture.Cluster.Client;
        var market = new MarketScenario(grains, "failover");
        await market.CreateProductAsync();
        var lots = Enumerable.Range(0, Lots).Select(i => market.Lot($"lot{i}", LotKg, 25_000 + 10 * i, cooperative: $"coop{i % 5}")).ToList();
        foreach (var lot in lots)
        {
            await Acknowledged(() => market.Market.PostLotAsync(lot, lot.Id));
        }

        var random = new Random(7);
        var requests = Enumerable.Range(0, Requests)
            .Select(i => market.Request($"r{i}", random.Next(5, 40), 30_000, buyer: $"buyer{i % 12}")).ToList();
        var receipts = new ConcurrentDictionary<string, Receipt>();
        var victim = await HostOfAsync(market.Market);
        var placing = Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (request, _) =>
            receipts[request.Id] = await Acknowledged(() => market.Market.PlaceRequestAsync(request, request.Id)));
        while (receipts.Count < Requests / 5)
        {
            await Task.Delay(10);
        }

        await fixture.Cluster.KillSiloAsync(victim);
        await placing;

        // The kill must have hit the load: some calls failed and were retried.
        Assert.True(retries > 0, "no call failed: the silo died after the load");

        Assert.Equal(Requests, receipts.Count);
        var deals = receipts.Values.SelectMany(r => r.Deals).ToList();
        Assert.Equal(deals.Count, deals.Select(d => d.Id).Distinct().Count());
        foreach (var deal in deals)
        {
            Assert.Equal(deal, await grains.GetGrain<IDealGrain>(deal.Id).GetAsync());
        }

        foreach (var lot in lots)
        {
            var sold = deals.Where(d => d.LotId == lot.Id).Sum(d => d.QuantityGrams);
            var view = await Eventually(() => grains.GetGrain<ISupplyLotGrain>(lot.Id).GetAsync(), v => v!.RemainingGrams == lot.QuantityGrams - sold);
            Assert.Equal(lot.QuantityGrams, view!.RemainingGrams + sold);
        }

        foreach (var request in requests)
        {
            var filled = deals.Where(d => d.RequestId == request.Id).Sum(d => d.QuantityGrams);
            Assert.InRange(filled, 0, request.QuantityGrams);
            Assert.Equal(receipts[request.Id].FilledGrams, filled);
            var view = await Eventually(() => grains.GetGrain<IPurchaseRequestGrain>(request.Id).GetAsync(), v => v is not null && v.FilledGrams == filled);
            Assert.Equal(filled, view!.FilledGrams);
        }

        var supply = (await market.Market.GetSummaryAsync()).OpenSupply.Sum(b => b.Grams);
        Assert.Equal(Lots * LotKg * 1000 - deals.Sum(d => d.QuantityGrams), supply);
    }

    /// <summary>The silo that hosts the market: the point is to kill the market's own silo.</summary>
    private async Task<SiloHandle> HostOfAsync(IMarketGrain market)
    {
        await market.GetSummaryAsync();
        var host = await fixture.Cluster.Client.GetGrain<IManagementGrain>(0).GetActivationAddress(market);
        return fixture.Cluster.Silos.Single(s => s.SiloAddress.Equals(host));
    }

    /// <summary>A client that retries with the same id and body until the market answers, as an HTTP client with an
    /// idempotency key would; a silo's death makes calls fail for some seconds.</summary>
    private async Task<Receipt> Acknowledged(Func<Task<CommandResult<Receipt>>> call)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var result = await call();
                Assert.NotEqual(CommandOutcome.KeyReused, result.Outcome);
                return result.Value!;
            }
            catch (Exception e) when (attempt < 60 && e is OrleansException or TimeoutException or MarketReloadingException)
            {
                Interlocked.Increment(ref retries);
                await Task.Delay(500);
            }
        }
    }

    /// <summary>Projections catch up after a failover, on the market's retry timer; reads wait for them a bounded time.</summary>
    private static async Task<T> Eventually<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var value = await read();
        for (var attempt = 0; attempt < 100 && !done(value); attempt++)
        {
            await Task.Delay(200);
            value = await read();
        }

        return value;
    }
}
