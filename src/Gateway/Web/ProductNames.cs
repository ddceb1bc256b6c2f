using CoopMarket.Grains.Catalog;

namespace CoopMarket.Gateway.Web;

/// <summary>Product names in the reader's language for one page: the catalog is read once per request, when a page
/// first names a product. A code the catalog does not list is shown as it is.</summary>
internal sealed class ProductNames(IGrainFactory grains)
{
    private Dictionary<string, Product>? catalog;

    public async Task<string> OfAsync(string code)
    {
        catalog ??= (await grains.GetGrain<ICatalogGrain>(ICatalogGrain.Key).ListAsync()).ToDictionary(p => p.Code, StringComparer.Ordinal);
        return catalog.TryGetValue(code, out var product) ? Formats.Name(product) : code;
    }
}
