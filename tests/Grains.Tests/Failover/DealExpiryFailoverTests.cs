using CoopMarket.Grains.Market;
using CoopMarket.Grains.Tests.Market;

namespace CoopMarket.Grains.Tests.Failover;

/// <summary>A deal's confirmation deadline is kept by a reminder in Redis, so it is enforced even when the silo of its
/// market dies and nobody calls the market again.</summary>
[Collection(RedisClusterCollection.Name)]
public sealed class DealExpiryFailoverTests(RedisClusterFixture fixture)
{
    // The reminder ticks once a minute (Orleans' shortest period); its new silo takes over the dead one's share of
    // reminders within seconds. Real time for the infrastructure, never for business time, which the fake clock moves.
    private static readonly TimeSpan ReminderPatience = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task A_deal_expires_on_its_deadline_after_its_markets_silo_died_with_nobody_calling_the_market()
    {
        var grains = fixture.Cluster.Client;
        var market = new MarketScenario(grains, "expiry-failover", RedisClusterFixture.Clock);
        await market.CreateProductAsync();
        var lot = market.Lot("lot", 10, 25_000);
        await market.Market.PostLotAsync(lot, lot.Id);
        var request = market.Request("request", 4, 30_000);
        var deal = Assert.Single((await market.Market.PlaceRequestAsync(request, request.Id)).Value!.Deals);
        var victim = await fixture.HostOfAsync(market.Market);

        RedisClusterFixture.Clock.Advance(TimeSpan.FromHours(49));
        await fixture.Cluster.KillSiloAsync(victim);
        await fixture.Cluster.StartAdditionalSiloAsync();

        var expired = await EventuallyAsync(async () => (await grains.GetGrain<IDealGrain>(deal.Id).GetAsync())?.Status == Deal.Expired);

        Assert.True(expired, $"deal {deal.Id} did not expire within {ReminderPatience} of its market's silo dying");
        var lotView = (await grains.GetGrain<ISupplyLotGrain>(lot.Id).GetAsync())!;
        Assert.Equal((LotView.Open, 10_000L), (lotView.Status, lotView.RemainingGrams));
        await QuantityAudit.AssertLotsBalancedAsync(grains, lot.Id);
        await QuantityAudit.AssertRequestsBalancedAsync(grains, request.Id);
    }

    /// <summary>Reads until <paramref name="done"/>; reads of records whose silo died fail for some seconds, and are retried.</summary>
    private static async Task<bool> EventuallyAsync(Func<Task<bool>> done)
    {
        var until = DateTime.UtcNow + ReminderPatience;
        while (DateTime.UtcNow < until)
        {
            try
            {
                if (await done())
                {
                    return true;
                }
            }
            catch (Exception e) when (e is OrleansException or TimeoutException)
            {
                // The record's silo died with the market's: the next read reaches its new activation.
            }

            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        return false;
    }
}
