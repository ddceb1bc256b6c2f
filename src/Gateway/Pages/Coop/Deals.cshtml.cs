using CoopMarket.Gateway.Security;
using CoopMarket.Gateway.Web;
using CoopMarket.Grains.Participants;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CoopMarket.Gateway.Pages.Coop;

/// <summary>The signed-in cooperative's deals, newest first, with the buyer and the market's reason.</summary>
internal sealed class DealsModel(IGrainFactory grains, ParticipantNames names) : PageModel
{
    public Listing<DealLine> Deals { get; private set; } = new([], null);

    public async Task OnGetAsync(string? cursor)
    {
        var id = Caller.From(User).ParticipantId!;
        Deals = await Listing<DealLine>.LoadAsync(grains.GetGrain<ICooperativeGrain>(id).GetDealIdsAsync, cursor, deal => DealLine.LoadAsync(grains, names, deal, id));
    }
}
