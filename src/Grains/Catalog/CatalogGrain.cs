using CoopMarket.Grains.Market;

namespace CoopMarket.Grains.Catalog;

internal sealed class CatalogGrain(
    [PersistentState("catalog")] IPersistentState<CatalogState> state) : Grain, ICatalogGrain
{
    async Task<IReadOnlyList<Product>> ICatalogGrain.ListAsync()
    {
        var products = await Task.WhenAll(state.State.Codes.Select(code => GrainFactory.GetGrain<IProductGrain>(code).GetAsync()));
        return [.. products.OfType<Product>()];
    }

    async Task<bool> ICatalogGrain.SeedAsync(IReadOnlyList<Product> products)
    {
        if (state.State.Codes.Count > 0)
        {
            return false;
        }

        // Products first, list last: if a write fails half-way the list is still empty and the next seed starts over.
        foreach (var product in products)
        {
            await GrainFactory.GetGrain<IProductGrain>(product.Code).SetAsync(product);
        }

        await WriteCodesAsync(products.Select(p => p.Code));
        return true;
    }

    async Task ICatalogGrain.PutAsync(Product product)
    {
        await GrainFactory.GetGrain<IProductGrain>(product.Code).SetAsync(product);
        if (!state.State.Codes.Contains(product.Code))
        {
            await WriteCodesAsync([product.Code]);
        }

        // Once stored, and from here rather than from the product's grain: a market that activates reads the product,
        // which would wait on a product grain waiting on that market. A put that fails here is retried whole.
        await GrainFactory.GetGrain<IMarketGrain>(product.Code).ProductChangedAsync(product);
    }

    /// <summary>Stores the list with <paramref name="added"/> before the activation lists them: a failed write leaves
    /// the list as stored, so the next put of the same product writes it again instead of finding it already there.</summary>
    private Task WriteCodesAsync(IEnumerable<string> added) =>
        state.WriteAsync(new CatalogState { Codes = new(state.State.Codes.Concat(added), StringComparer.Ordinal) }, this);
}
