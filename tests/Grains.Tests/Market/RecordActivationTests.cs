using CoopMarket.Grains.Market;

namespace CoopMarket.Grains.Tests.Market;

/// <summary>A lot's, a deal's or a request's record that only the market's projection has woken leaves memory once its
/// entries are stored: a season proposes hundreds of thousands of deals, and kept for two idle minutes each, their activations
/// held most of a busy silo's memory and its activation collector's work. A record a reader uses stays, as before.</summary>
[Collection(ClusterCollection.Name)]
public sealed class RecordActivationTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Grains;

    [Fact]
    public async Task A_lot_a_deal_and_a_request_only_the_projection_woke_leave_memory_with_their_entries_stored()
    {
        var (market, deal) = await DealFromOneLotAsync("woken-by-projection");
        var dealRecord = Grains.GetGrain<IDealGrain>(deal.Id);
        var requestRecord = Grains.GetGrain<IPurchaseRequestGrain>(deal.RequestId);
        var lotRecord = Grains.GetGrain<ISupplyLotGrain>(deal.LotId);

        Assert.True(await fixture.LeavesMemoryAsync(dealRecord), "the deal's record stayed active");
        Assert.True(await fixture.LeavesMemoryAsync(requestRecord), "the request's record stayed active");
        Assert.True(await fixture.LeavesMemoryAsync(lotRecord), "the lot's record stayed active");

        // Woken again by a reader, each reads what the projection stored before it left.
        Assert.Equal(deal, await dealRecord.GetAsync());
        Assert.Equal((RequestView.Filled, deal.QuantityGrams), await market.RequestAsync(deal.RequestId));
        var lot = (await lotRecord.GetAsync())!;
        Assert.Equal((100_000 - deal.QuantityGrams, 1L), (lot.RemainingGrams, lot.DealCount));
    }

    [Fact]
    public async Task A_deal_a_reader_uses_stays_in_memory_when_the_projection_writes_it_again()
    {
        var (market, deal) = await DealFromOneLotAsync("woken-by-reader");
        var dealRecord = Grains.GetGrain<IDealGrain>(deal.Id);
        Assert.True(await fixture.LeavesMemoryAsync(dealRecord), "the deal's record stayed active");

        Assert.NotNull(await dealRecord.GetAsync());
        await market.StepAsync(deal, DealStep.Confirm, DealSide.Cooperative);

        Assert.False(await fixture.LeavesMemoryAsync(dealRecord, patience: UnreadActivation.Quiet * 3),
            "a record its reader woke left after the projection wrote it");
        Assert.Equal(Deal.Confirmed, (await dealRecord.GetAsync())!.Status);
    }

    /// <summary>A market of its own with one lot of 100 kg, and the deal one request made from it.</summary>
    private async Task<(MarketScenario Market, Deal Deal)> DealFromOneLotAsync(string name)
    {
        var market = await MarketScenario.CreateAsync(Grains, name);
        await market.PostedLotAsync("lot", 100, 25_000);
        return (market, await market.OneDealAsync("request", "buyer"));
    }
}
