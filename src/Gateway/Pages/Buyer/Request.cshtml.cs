using CoopMarket.Gateway.Apis;
using CoopMarket.Gateway.Contracts;
using CoopMarket.Gateway.Security;
using CoopMarket.Gateway.Web;
using CoopMarket.Grains.Market;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CoopMarket.Gateway.Pages.Buyer;

/// <summary>One of the signed-in buyer's requests with all its deals, a page at a time: where the requests list sends a
/// request with more deals than it shows. Another buyer's request is not found, as in the API.</summary>
internal sealed class RequestModel(IGrainFactory grains, ParticipantNames names) : PageModel
{
    public RequestDto Purchase { get; private set; } = null!;
    public Listing<DealLine> Deals { get; private set; } = new([], null);

    public async Task<IActionResult> OnGetAsync(string id, string? cursor)
    {
        var buyer = Caller.From(User).ParticipantId!;
        var request = grains.GetGrain<IPurchaseRequestGrain>(id);
        if (await request.GetAsync() is not { } view || view.Terms.BuyerId != buyer)
        {
            return NotFound();
        }

        Purchase = view.ToDto();
        Deals = await Listing<DealLine>.LoadAsync(request.GetDealIdsAsync, cursor, deal => DealLine.LoadAsync(grains, names, deal, buyer));
        return Page();
    }
}
