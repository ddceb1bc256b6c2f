using CoopMarket.Gateway.Apis;
using CoopMarket.Gateway.Contracts;
using CoopMarket.Gateway.Security;
using CoopMarket.Gateway.Web;
using CoopMarket.Grains.Market;
using CoopMarket.Grains.Paging;
using CoopMarket.Grains.Participants;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CoopMarket.Gateway.Pages.Buyer;

/// <summary>The signed-in buyer's requests, newest first, each with the cooperatives that filled it and why.</summary>
internal sealed class RequestsModel(IGrainFactory grains) : PageModel
{
    /// <summary>The deals shown under each request; the rest are on the request's own deal list in the API.</summary>
    private const int DealsPerRequest = 20;

    public Listing<FilledRequest> Requests { get; private set; } = new([], null);
    public string? Placed { get; private set; }

    public async Task OnGetAsync(string? cursor, string? placed)
    {
        var id = Caller.From(User).ParticipantId!;
        Placed = placed;
        Requests = await Listing<FilledRequest>.LoadAsync(grains.GetGrain<IBuyerGrain>(id).GetRequestIdsAsync, cursor, async requestId =>
        {
            var request = grains.GetGrain<IPurchaseRequestGrain>(requestId);
            if (await request.GetAsync() is not { } view)
            {
                return null;
            }

            var deals = await request.GetDealIdsAsync(new PageRequest(DealsPerRequest, null));
            var lines = await Task.WhenAll(deals.Ids.Select(deal => DealLine.LoadAsync(grains, deal, id)));
            return new FilledRequest(view.ToDto(), [.. lines.OfType<DealLine>()]);
        });
    }

    internal sealed record FilledRequest(RequestDto Request, IReadOnlyList<DealLine> Deals);
}
