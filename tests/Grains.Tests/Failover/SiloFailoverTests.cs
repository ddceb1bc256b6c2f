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
    private const int Workers = 8;
    private const int KillAfter = 48;
    private const int AfterKill = 48;
    private const int MaxRequests = 5_000;

    private int retries;

    [Fact]
    public async Task Killing_a_silo_under_load_loses_no_acknowledged_write_and_oversells_nothing()
    {
        var grains = fixture.Cluster.Client;
        var market = new MarketScenario(grains, "failover", RedisClusterFixture.Clock);
        await market.CreateProductAsync();
        var lots = Enumerable.Range(0, Lots).Select(i => market.Lot($"lot{i}", LotKg, 25_000 + 10 * i, cooperative: $"coop{i % 5}")).ToList();
        foreach (var lot in lots)
        {
            await Acknowledged(() => market.Market.PostLotAsync(lot, lot.Id));
        }

        // The load runs until writes have been acknowledged after the kill, so a fast machine cannot finish it
        // before the silo dies; the cap only bounds a run where the kill somehow never takes effect.
        var requests = new ConcurrentDictionary<string, RequestTerms>();
        var receipts = new ConcurrentDictionary<string, Receipt>();
        var victim = await HostOfAsync(market.Market);
        var next = -1;
        var killed = 0;
        var acknowledgedAfterKill = 0;
        var placing = Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < MaxRequests && Volatile.Read(ref acknowledgedAfterKill) < AfterKill; i = Interlocked.Increment(ref next))
            {
                var request = market.Request($"r{i}", 5 + i * 7 % 35, 30_000, buyer: $"buyer{i % 12}");
                requests[request.Id] = request;
                receipts[request.Id] = await Acknowledged(() => market.Market.PlaceRequestAsync(request, request.Id));
                if (Volatile.Read(ref killed) == 1)
                {
                    Interlocked.Increment(ref acknowledgedAfterKill);
                }
            }
        })));
        while (receipts.Count < KillAfter)
        {
            await Task.Delay(10);
        }

        await fixture.Cluster.KillSiloAsync(victim);
        Volatile.Write(ref killed, 1);
        await placing;

        // The kill must have hit the load: some calls failed and were retried.
        Assert.True(retries > 0, "no call failed: the silo died after the load");

        Assert.Equal(requests.Count, receipts.Count);
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

        foreach (var request in requests.Values)
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
        return await fixture.HostOfAsync(market);
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
