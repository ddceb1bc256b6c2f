namespace CoopMarket.Grains.Catalog;

internal sealed class ProductGrain(
    [PersistentState("product")] IPersistentState<ProductState> state) : Grain, IProductGrain
{
    Task<Product?> IProductGrain.GetAsync() => Task.FromResult(state.State.Product);

    async Task IProductGrain.SetAsync(Product product)
    {
        if (product.Code != this.GetPrimaryKeyString())
        {
            throw new ArgumentException($"Product code '{product.Code}' does not match grain key '{this.GetPrimaryKeyString()}'.", nameof(product));
        }

        await state.WriteAsync(new ProductState { Product = product }, this);
    }
}
