using CoopMarket.Gateway.Web;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CoopMarket.Gateway.Pages.Admin;

/// <summary>The district office's market overview: supply against demand, deals over time, match rate, unfilled demand.</summary>
internal sealed class IndexModel(DistrictOverview overview) : PageModel
{
    /// <summary>The days of deals a chart covers: a season's recent weeks, readable on a phone.</summary>
    public const int ChartDays = 30;

    public DistrictOverview.Market Market { get; private set; } = new([], [], [], [], false);

    public async Task OnGetAsync() => Market = await overview.ReadAsync();

    /// <summary>Per product with deals: each day's kilograms and kilogram-weighted average price, the latest days.</summary>
    public IEnumerable<(DistrictOverview.ProductLine Line, IReadOnlyList<(DateOnly Day, decimal Kg, long VndPerKg)> Days)> DealsOverTime() =>
        Market.Products.Where(p => p.Deals > 0).Select(p => (p, (IReadOnlyList<(DateOnly, decimal, long)>)[.. Market.Deals
            .Where(d => d.Deal.Product == p.Product.Code)
            .GroupBy(d => Formats.Day(d.Deal.MadeAt))
            .OrderBy(g => g.Key).TakeLast(ChartDays)
            .Select(g => (g.Key, g.Sum(d => d.Deal.QuantityKg), (long)Math.Round(g.Sum(d => d.Deal.QuantityKg * d.Deal.PriceVndPerKg) / g.Sum(d => d.Deal.QuantityKg))))]));
}
