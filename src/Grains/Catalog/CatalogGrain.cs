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

        state.State.Codes.UnionWith(products.Select(p => p.Code));
        await state.WriteStateAsync();
        return true;
    }

    async Task ICatalogGrain.PutAsync(Product product)
    {
        await GrainFactory.GetGrain<IProductGrain>(product.Code).SetAsync(product);
        if (state.State.Codes.Add(product.Code))
        {
            await state.WriteStateAsync();
        }
    }
}
