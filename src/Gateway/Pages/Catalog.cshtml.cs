using CoopMarket.Grains;
using CoopMarket.Grains.Catalog;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CoopMarket.Gateway.Pages;

/// <summary>The public catalog: what the district grows and when.</summary>
internal sealed class CatalogModel(IGrainFactory grains, [FromKeyedServices(MarketTime.ServiceKey)] TimeProvider clock) : PageModel
{
    public IReadOnlyList<Product> Products { get; private set; } = [];

    public int Month => clock.Today().Month;

    public async Task OnGetAsync() => Products = await grains.GetGrain<ICatalogGrain>(ICatalogGrain.Key).ListAsync();
}
