using System.Diagnostics;
using CoopMarket.Grains.Market;
using CoopMarket.Grains.Participants;

namespace CoopMarket.Grains.Tests.Market;

/// <summary>An unverified buyer's cap counts each requested gram until it is final: delivered, or left unfilled by a
/// request that closed. Grams in a deal that may still give them back (rejected, cancelled, expired, shorted, delivered
/// short) count all along, so their return can never lift the scope's open kilograms over the cap.</summary>
[Collection(ClusterCollection.Name)]
public sealed class AllowanceTests(ClusterFixture fixture)
{
    private const long Cap = 1_000_000;

    private IGrainFactory Grains => fixture.Grains;

    public enum GramsBack
    {
        Rejected,
        Cancelled,
        Shortfall,
        ShortDelivery,
    }

    [Theory]
    [InlineData(GramsBack.Rejected)]
    [InlineData(GramsBack.Cancelled)]
    [InlineData(GramsBack.Shortfall)]
    [InlineData(GramsBack.ShortDelivery)]
    public async Task Grams_that_come_back_to_a_request_never_left_the_cap(GramsBack way)
    {
        var (market, allowance, scope) = await MarketAsync($"cap-{way}");
        var lot = market.Lot("lot", 1_000, 25_000);
        await market.Market.PostLotAsync(lot, "lot");
        var first = market.Request("first", 1_000, 30_000) with { AllowanceScope = scope };
        var deal = Assert.Single((await PlaceAsync(market, allowance, first))!.Deals);

        // The whole tonne is in a deal, none of it delivered: the buyer asks for another, at a price no lot meets.
        var second = market.Request("second", 1_000, 20_000) with { AllowanceScope = scope };
        var placedSecond = await PlaceAsync(market, allowance, second);

        switch (way)
        {
            case GramsBack.Rejected:
                await StepAsync(market, deal, DealStep.Reject);
                break;
            case GramsBack.Cancelled:
                await StepAsync(market, deal, DealStep.Cancel, DealSide.Buyer);
                break;
            case GramsBack.Shortfall:
                Assert.Equal(ShortfallOutcome.Done, (await market.Market.ReportShortfallAsync(new LotShortfall(lot.Id, 0, "short"))).Outcome);
                break;
            case GramsBack.ShortDelivery:
                await StepAsync(market, deal, DealStep.Confirm);
                await StepAsync(market, deal, DealStep.Ship);
                await StepAsync(market, deal, DealStep.Deliver, DealSide.Buyer, delivered: 400_000);
                break;
        }

        // The grams are back in the first request, open again; whatever the second request got counts beside them.
        var open = await OpenGramsAsync(first.Id) + (placedSecond is null ? 0 : await OpenGramsAsync(second.Id));
        Assert.True(open <= Cap, $"the scope has {open} g open, over its cap of {Cap} g");
        Assert.Null(placedSecond);
        Assert.Equal(way == GramsBack.ShortDelivery ? 600_000L : Cap, await allowance.GetOpenGramsAsync());
    }

    [Fact]
    public async Task Grams_count_until_delivered_and_then_give_the_cap_back()
    {
        var (market, allowance, scope) = await MarketAsync("cap-delivered");
        await market.Market.PostLotAsync(market.Lot("lot", 2_000, 25_000), "lot");
        var deal = Assert.Single((await PlaceAsync(market, allowance, market.Request("first", 1_000, 30_000) with { AllowanceScope = scope }))!.Deals);

        foreach (var step in (DealStep[])[DealStep.Confirm, DealStep.Ship])
        {
            await StepAsync(market, deal, step);
            Assert.False(await allowance.ReserveAsync($"{market.Product}-probe-{step}", market.Product, 1, Cap));
        }

        await StepAsync(market, deal, DealStep.Deliver, DealSide.Buyer, delivered: deal.QuantityGrams);
        await StepAsync(market, deal, DealStep.Settle, DealSide.Buyer);

        Assert.Equal(0L, await allowance.GetOpenGramsAsync());
        Assert.NotNull(await PlaceAsync(market, allowance, market.Request("second", 1_000, 30_000) with { AllowanceScope = scope }));
    }

    [Fact]
    public async Task A_request_that_closes_frees_what_it_left_unfilled_but_not_what_its_deals_may_bring_back()
    {
        var (market, allowance, scope) = await MarketAsync("cap-cancelled");
        await market.Market.PostLotAsync(market.Lot("lot", 400, 25_000), "lot");
        var first = market.Request("first", 1_000, 30_000) with { AllowanceScope = scope };
        var deal = Assert.Single((await PlaceAsync(market, allowance, first))!.Deals);

        Assert.NotNull(await market.Market.CancelRequestAsync(first.Id));
        Assert.Equal(400_000L, await allowance.GetOpenGramsAsync());

        // The deal's grams go back to a request that no longer wants them: they are final, unfilled.
        await StepAsync(market, deal, DealStep.Reject);
        Assert.Equal(0L, await allowance.GetOpenGramsAsync());
    }

    [Fact]
    public async Task A_market_that_carries_its_entries_again_holds_each_request_s_grams_once()
    {
        var (market, allowance, scope) = await MarketAsync("cap-reprojected");
        var lot = market.Lot("lot", 1_000, 25_000);
        await market.Market.PostLotAsync(lot, "lot");
        var first = market.Request("first", 1_000, 30_000) with { AllowanceScope = scope };
        var rejected = Assert.Single((await PlaceAsync(market, allowance, first))!.Deals);
        await StepAsync(market, rejected, DealStep.Reject);
        var resourced = Assert.Single((await market.Market.PostLotAsync(market.Lot("other", 1_000, 25_000), "other")).Value!.Deals);
        await StepAsync(market, resourced, DealStep.Confirm);
        await StepAsync(market, resourced, DealStep.Ship);

        // 300 kg arrive, final; the 700 kg that did not go back to the request, which the first lot fills again.
        await StepAsync(market, resourced, DealStep.Deliver, DealSide.Buyer, delivered: 300_000);
        Assert.Equal(700_000L, await allowance.GetOpenGramsAsync());

        // The market reloads from its journal and carries every entry to the allowance again, oldest first; then the
        // client, which never heard the first answer, sends the placement again, through the gateway's steps.
        await fixture.DeactivateAllAsync();
        await market.Market.GetSummaryAsync();
        Assert.Equal(700_000L, await allowance.GetOpenGramsAsync());
        Assert.True(await allowance.ReserveAsync(first.Id, market.Product, first.QuantityGrams, Cap));
        Assert.Equal(CommandOutcome.Replayed, (await market.Market.PlaceRequestAsync(first, first.Id, retried: true)).Outcome);

        Assert.Equal(700_000L, await allowance.GetOpenGramsAsync());
        Assert.True(await allowance.ReserveAsync($"{market.Product}-fits", market.Product, 300_000, Cap));
        Assert.False(await allowance.ReserveAsync($"{market.Product}-over", market.Product, 1, Cap));
    }

    [Theory]
    [InlineData(FaultyStorage.Kind.Fail)]
    [InlineData(FaultyStorage.Kind.LoseReply)]
    public async Task A_delivery_the_allowance_missed_is_carried_again_until_it_lands_once(FaultyStorage.Kind fault)
    {
        var (market, allowance, scope) = await MarketAsync($"cap-fault-{fault}");
        await market.Market.PostLotAsync(market.Lot("lot", 1_000, 25_000), "lot");
        var deal = Assert.Single((await PlaceAsync(market, allowance, market.Request("first", 1_000, 30_000) with { AllowanceScope = scope }))!.Deals);
        await StepAsync(market, deal, DealStep.Confirm);
        await StepAsync(market, deal, DealStep.Ship);

        using (FaultyStorage.Arm($"{scope}/allowance", fault))
        {
            await StepAsync(market, deal, DealStep.Deliver, DealSide.Buyer, delivered: 250_000);
        }

        await market.Market.PostLotAsync(market.Lot("drain", 1, 90_000, cooperative: "other"), "drain"); // drains the retry
        await fixture.DeactivateAllAsync();

        // The 250 kg delivered are final; the 750 kg that did not arrive are open again and still count.
        Assert.Equal(750_000L, await OpenGramsAsync($"{market.Product}-first"));
        Assert.Equal(750_000L, await allowance.GetOpenGramsAsync());
    }

    [Fact]
    public async Task An_allowance_asking_a_market_that_is_carrying_an_entry_to_it_waits_for_neither()
    {
        var (market, allowance, scope) = await MarketAsync("cap-crossed");
        var open = market.Request("open", 100, 20_000) with { AllowanceScope = scope };
        Assert.NotNull(await PlaceAsync(market, allowance, open));
        // A placement that never reached the market holds the rest of the cap; once it is old, the allowance asks the
        // market about it when room is needed.
        Assert.True(await allowance.ReserveAsync($"{market.Product}-lost", market.Product, Cap - open.QuantityGrams, Cap));
        ClusterFixture.Clock.Advance(TimeSpan.FromMinutes(11));

        // The market's turn is held at its journal write while the allowance's turn starts and asks the market; then the
        // write lands, and the market carries the cancellation to the allowance, whose turn is still on.
        Task<RequestView?> cancelling;
        Task<bool> reserving;
        TimeSpan took;
        using (var write = FaultyStorage.Hold($"coopmarket-journal/{market.Product}/"))
        {
            cancelling = market.Market.CancelRequestAsync(open.Id);
            await write.Reached;
            var reserves = GrainCalls.Of(allowance.GetGrainId(), nameof(IBuyerAllowanceGrain.ReserveAsync));
            reserving = allowance.ReserveAsync($"{market.Product}-next", market.Product, 500_000, Cap);
            while (GrainCalls.Of(allowance.GetGrainId(), nameof(IBuyerAllowanceGrain.ReserveAsync)) == reserves)
            {
                await Task.Delay(5);
            }

            var released = Stopwatch.StartNew();
            write.Release();
            await Task.WhenAll(cancelling, reserving).WaitAsync(TimeSpan.FromSeconds(30));
            took = released.Elapsed;
        }

        // Each waiting for the other lasts until the market's patience with a record runs out (3 s; a call made without
        // it waits out the whole response timeout); the calls themselves take milliseconds.
        Assert.True(took < TimeSpan.FromSeconds(2), $"the cancellation and the reservation took {took.TotalSeconds:0.0} s");
        Assert.NotNull(await cancelling);
        Assert.True(await reserving);
        Assert.Equal(500_000L, await allowance.GetOpenGramsAsync());
    }

    private async Task<(MarketScenario Market, IBuyerAllowanceGrain Allowance, string Scope)> MarketAsync(string name)
    {
        var market = new MarketScenario(Grains, name);
        await market.CreateProductAsync();
        var scope = $"{market.Product}-address";
        return (market, Grains.GetGrain<IBuyerAllowanceGrain>(scope), scope);
    }

    /// <summary>The gateway's steps for an unverified buyer's placement: reserve in the allowance, then place; null when
    /// the allowance refuses.</summary>
    private static async Task<Receipt?> PlaceAsync(MarketScenario market, IBuyerAllowanceGrain allowance, RequestTerms request)
    {
        if (!await allowance.ReserveAsync(request.Id, market.Product, request.QuantityGrams, Cap))
        {
            return null;
        }

        var placed = await market.Market.PlaceRequestAsync(request, request.Id);
        Assert.Equal(CommandOutcome.Done, placed.Outcome);
        return placed.Value;
    }

    private static async Task StepAsync(MarketScenario market, Deal deal, DealStep step, DealSide side = DealSide.Cooperative, long? delivered = null)
    {
        var result = await market.Market.TakeDealStepAsync(new DealCommand(deal.Id, step, side, null, delivered, step == DealStep.Settle ? "ref" : null));
        Assert.Equal(DealStepOutcome.Done, result.Outcome);
    }

    private async Task<long> OpenGramsAsync(string requestId) => (await Grains.GetGrain<IPurchaseRequestGrain>(requestId).GetAsync())!.RemainingGrams;
}
