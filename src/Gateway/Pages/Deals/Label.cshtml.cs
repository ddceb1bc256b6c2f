using CoopMarket.Gateway.Apis;
using CoopMarket.Gateway.Contracts;
using CoopMarket.Gateway.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CoopMarket.Gateway.Pages.Deals;

/// <summary>A shipped deal's traceability label for either side, or the district office, to print: the QR image of the
/// public trace page, the code and the product. Another participant's deal is not found, as in the API.</summary>
internal sealed class LabelModel(IGrainFactory grains) : PageModel
{
    public DealDto Deal { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string id)
    {
        var caller = Caller.From(User);
        if (await DealsApi.LoadAsync(grains, id) is not { TraceCode: not null } deal
            || !caller.MayAccessDeal(deal.CooperativeId, deal.BuyerId))
        {
            return NotFound();
        }

        Deal = deal;
        return Page();
    }
}
