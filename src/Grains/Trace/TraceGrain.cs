using CoopMarket.Grains.Catalog;
using CoopMarket.Grains.Market;
using CoopMarket.Grains.Participants;

namespace CoopMarket.Grains.Trace;

/// <summary>Keeps only which deal a code was shipped under, and gathers the public facts from the records that own
/// them when asked: the deal (kilograms, dates), its lot (harvest window, certificates), the cooperative (name,
/// commune) and the catalog (product names). A second copy of them here could only fall behind.</summary>
// Read by a consumer's phone now and then, long after the goods left: no reason to keep it in memory between reads.
[CollectionAgeLimit(Minutes = 2)]
internal sealed class TraceGrain(
    [PersistentState("trace")] IPersistentState<TraceState> state) : Grain, ITraceGrain
{
    async Task ITraceGrain.RegisterAsync(string dealId)
    {
        if (state.State.DealId == dealId)
        {
            return;
        }

        if (state.State.DealId is { } other)
        {
            // 80 random bits make this a broken generator, not bad luck: refuse loudly rather than show one deal's
            // origin to the holders of another's code.
            throw new InvalidOperationException($"Trace code {this.GetPrimaryKeyString()} already names deal {other}, not {dealId}.");
        }

        await state.WriteAsync(new TraceState { DealId = dealId }, this);
    }

    async Task<TracedShipment?> ITraceGrain.GetAsync()
    {
        if (state.State.DealId is not { } dealId || await GrainFactory.GetGrain<IDealGrain>(dealId).GetAsync() is not { } deal)
        {
            return null;
        }

        var lotRead = GrainFactory.GetGrain<ISupplyLotGrain>(deal.LotId).GetAsync();
        var cooperativeRead = GrainFactory.GetGrain<ICooperativeGrain>(deal.CooperativeId).GetAsync();
        var productRead = GrainFactory.GetGrain<IProductGrain>(deal.Product).GetAsync();
        await Task.WhenAll(lotRead, cooperativeRead, productRead);
        // The lot's and the cooperative's records exist before any deal is made from them; a missing one means the
        // records are not readable yet, and the code is answered as unknown until they are.
        if (await lotRead is not { Terms: var lot } || await cooperativeRead is not { } cooperative)
        {
            return null;
        }

        var product = await productRead;
        return new TracedShipment(this.GetPrimaryKeyString(), deal.Product, product?.NameVi ?? deal.Product, product?.NameEn ?? deal.Product,
            cooperative.Id, cooperative.Name, cooperative.Commune, cooperative.District, cooperative.Province,
            lot.HarvestFrom, lot.HarvestTo, lot.Certifications,
            // The deal's record is the one home of what left and what arrived: the lifecycle's ship and deliver steps.
            deal.QuantityGrams, deal.ShippedAt, deal.DeliveredGrams, deal.DeliveredAt);
    }
}
