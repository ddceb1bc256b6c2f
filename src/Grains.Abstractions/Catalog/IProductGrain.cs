namespace CoopMarket.Grains.Catalog;

/// <summary>One product of the catalog, keyed by its code.</summary>
public interface IProductGrain : IGrainWithStringKey
{
    /// <summary>The product, or null when no product has this code.</summary>
    Task<Product?> GetAsync();

    /// <summary>Stores the product's facts; the code must match the grain's key.</summary>
    Task SetAsync(Product product);
}
