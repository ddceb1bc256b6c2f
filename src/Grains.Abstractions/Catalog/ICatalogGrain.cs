using Orleans.Concurrency;

namespace CoopMarket.Grains.Catalog;

/// <summary>The list of product codes the market trades; there is one catalog, under <see cref="Key"/>.</summary>
public interface ICatalogGrain : IGrainWithStringKey
{
    /// <summary>The key of the district's catalog.</summary>
    const string Key = "district";

    /// <summary>Every product, ordered by code.</summary>
    /// <remarks>Read-only, so lists interleave: one list waiting on a product's answer (lost with a connection that
    /// dropped, until the response timeout) does not hold every other reader of the catalog behind it.</remarks>
    [ReadOnly]
    Task<IReadOnlyList<Product>> ListAsync();

    /// <summary>Adds the products when the catalog is still empty; returns whether it did.</summary>
    /// <remarks>Every silo calls this at start-up, so it must do nothing once a catalog exists,
    /// or it would undo an administrator's later changes.</remarks>
    Task<bool> SeedAsync(IReadOnlyList<Product> products);

    /// <summary>Adds a product or changes an existing one.</summary>
    Task PutAsync(Product product);
}
