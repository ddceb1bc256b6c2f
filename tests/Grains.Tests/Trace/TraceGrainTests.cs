using CoopMarket.Grains.Market;
using CoopMarket.Grains.Participants;
using CoopMarket.Grains.Tests.Market;
using CoopMarket.Grains.Trace;
using CoopMarket.Matching;

namespace CoopMarket.Grains.Tests.Trace;

[Collection(ClusterCollection.Name)]
public sealed class TraceGrainTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Grains;

    [Fact]
    public async Task A_deal_recorded_with_a_trace_code_is_traced_to_its_lot_cooperative_and_product_without_buyer_or_price()
    {
        var (deal, lot) = await ShippedDealAsync("traced");

        var traced = await Grains.GetGrain<ITraceGrain>(deal.TraceCode!).GetAsync();

        Assert.NotNull(traced);
        Assert.Equal((deal.TraceCode, deal.Product, "Thanh long thử", "Test dragon fruit"), (traced.Code, traced.Product, traced.ProductNameVi, traced.ProductNameEn));
        Assert.Equal((lot.CooperativeId, "HTX nông sản sạch Đông Lai", "Đông Lai", "Tân Lạc", "Hòa Bình"),
            (traced.CooperativeId, traced.CooperativeName, traced.Commune, traced.District, traced.Province));
        Assert.Equal((lot.HarvestFrom, lot.HarvestTo), (traced.HarvestFrom, traced.HarvestTo));
        Assert.Equal(lot.Certifications, traced.Certifications);
        Assert.Equal(deal.QuantityGrams, traced.ShippedGrams);
    }

    [Fact]
    public async Task Recording_the_deal_again_keeps_its_code_and_another_deal_cannot_take_it()
    {
        var (deal, _) = await ShippedDealAsync("again");

        await Grains.GetGrain<IDealGrain>(deal.Id).RecordAsync(deal, []);

        var trace = Grains.GetGrain<ITraceGrain>(deal.TraceCode!);
        await trace.RegisterAsync(deal.Id);
        await Assert.ThrowsAsync<InvalidOperationException>(() => trace.RegisterAsync(deal.Id + "-other"));
        Assert.Equal(deal.QuantityGrams, (await trace.GetAsync())?.ShippedGrams);
    }

    [Fact]
    public async Task A_registration_whose_write_failed_is_made_when_the_projection_carries_the_deal_again()
    {
        var (deal, _) = await ShippedDealAsync("retry", record: false);
        var recorder = Grains.GetGrain<IDealGrain>(deal.Id);

        using (FaultyStorage.Arm($"{deal.TraceCode}/trace"))
        {
            await Assert.ThrowsAnyAsync<Exception>(() => recorder.RecordAsync(deal, []));
        }

        // The deal's record landed; its code does not name it yet, and the trace grain's memory is not ahead of storage.
        Assert.Equal(deal, await recorder.GetAsync());
        Assert.Null(await Grains.GetGrain<ITraceGrain>(deal.TraceCode!).GetAsync());

        await recorder.RecordAsync(deal, []);

        Assert.NotNull(await Grains.GetGrain<ITraceGrain>(deal.TraceCode!).GetAsync());
        await fixture.DeactivateAllAsync();
        Assert.Equal(deal.QuantityGrams, (await Grains.GetGrain<ITraceGrain>(deal.TraceCode!).GetAsync())?.ShippedGrams);
    }

    [Fact]
    public async Task The_steps_after_shipping_and_their_replays_never_call_the_trace_grain_again()
    {
        var market = new MarketScenario(Grains, "trace-steps");
        await market.CreateProductAsync();
        await market.Market.PostLotAsync(market.Lot("lot", 3_000, 25_000), "h1");
        var deal = Assert.Single((await market.Market.PlaceRequestAsync(market.Request("request", 1_000, 30_000), "h2")).Value!.Deals);
        await market.Market.TakeDealStepAsync(new DealCommand(deal.Id, DealStep.Confirm, DealSide.Cooperative, null));
        var shipped = await market.Market.TakeDealStepAsync(new DealCommand(deal.Id, DealStep.Ship, DealSide.Cooperative, null));
        var trace = Grains.GetGrain<ITraceGrain>(shipped.Change!.TraceCode!);
        var record = Grains.GetGrain<IDealGrain>(deal.Id);
        var registrations = GrainCalls.Of(trace.GetGrainId(), nameof(ITraceGrain.RegisterAsync));
        Assert.True(registrations >= 1, "shipping registers the code");

        // Delivering and settling apply to the record, and a projection carrying old entries again replays them: none
        // of it issues a code, so none of it may call the trace grain (every call would cost it an activation).
        var delivered = await market.Market.TakeDealStepAsync(new DealCommand(deal.Id, DealStep.Deliver, DealSide.Buyer, null, deal.QuantityGrams, null));
        var settledStep = await market.Market.TakeDealStepAsync(new DealCommand(deal.Id, DealStep.Settle, DealSide.Buyer, null, null, "ref-1"));
        await record.RecordAsync(deal, []);
        await record.RecordAsync(null, [delivered.Change!]);
        await record.RecordAsync(null, [settledStep.Change!]);
        var settled = (await record.GetAsync())!;

        Assert.Equal(Deal.Settled, settled.Status);
        Assert.Equal(registrations, GrainCalls.Of(trace.GetGrainId(), nameof(ITraceGrain.RegisterAsync)));
        // Shipping did register it: another deal cannot take the code.
        await Assert.ThrowsAsync<InvalidOperationException>(() => trace.RegisterAsync(deal.Id + "-other"));
    }

    [Fact]
    public async Task A_code_no_deal_carries_traces_nothing()
    {
        Assert.Null(await Grains.GetGrain<ITraceGrain>(TraceCode.New()).GetAsync());
    }

    [Fact]
    public async Task A_deal_without_a_trace_code_registers_none()
    {
        var (deal, _) = await ShippedDealAsync("untraced", record: false);
        var untraced = deal with { TraceCode = null };

        await Grains.GetGrain<IDealGrain>(untraced.Id).RecordAsync(untraced, []);

        Assert.Null(await Grains.GetGrain<ITraceGrain>(deal.TraceCode!).GetAsync());
    }

    /// <summary>A deal the market made from a registered cooperative's lot, given a trace code as shipping gives one
    /// (the deal lifecycle ships it; here the record is written directly, under an id of its own).</summary>
    private async Task<(Deal Deal, LotTerms Lot)> ShippedDealAsync(string name, bool record = true)
    {
        var market = new MarketScenario(Grains, name);
        await market.CreateProductAsync();
        var lot = market.Lot("lot", 3_000, 25_000) with { Certifications = [new CertificationInfo(CertificationScheme.VietGAP, ValidUntil: new DateOnly(2027, 6, 30))] };
        await Grains.GetGrain<ICooperativeGrain>(lot.CooperativeId).RegisterAsync(new CooperativeProfile(lot.CooperativeId,
            "HTX nông sản sạch Đông Lai", "HTX", "Đông Lai", "Tân Lạc", "Hòa Bình", 40, [], MarketScenario.DongLai, ClusterFixture.Clock.GetUtcNow()),
            "body", "key-hash");
        await market.Market.PostLotAsync(lot, "h1");
        var made = Assert.Single((await market.Market.PlaceRequestAsync(market.Request("request", 1_000, 30_000), "h2")).Value!.Deals);
        var shipped = made with { Id = made.Id + "-shipped", TraceCode = TraceCode.New() };
        if (record)
        {
            await Grains.GetGrain<IDealGrain>(shipped.Id).RecordAsync(shipped, []);
        }

        return (shipped, lot);
    }
}
