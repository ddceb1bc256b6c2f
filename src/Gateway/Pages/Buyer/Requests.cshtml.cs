using CoopMarket.Gateway.Apis;
using CoopMarket.Gateway.Contracts;
using CoopMarket.Gateway.Security;
using CoopMarket.Gateway.Web;
using CoopMarket.Grains.Market;
using CoopMarket.Grains.Paging;
using CoopMarket.Grains.Participants;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CoopMarket.Gateway.Pages.Buyer;

/// <summary>The signed-in buyer's requests, newest first, each with the latest cooperatives that filled it and why.</summary>
/// <remarks>Bounded per page: <see cref="RequestsPerPage"/> requests, each with its latest <see cref="DealsPerRequest"/>
/// deals (a request's page lists the rest), and each cooperative's name read once — about a hundred grain calls at
/// most, where a page of every deal of every request made hundreds.</remarks>
internal sealed class RequestsModel(IGrainFactory grains, ParticipantNames names) : PageModel
{
    public const int RequestsPerPage = 10;
    public const int DealsPerRequest = 5;

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
            var lines = await Task.WhenAll(deals.Ids.Select(deal => DealLine.LoadAsync(grains, names, deal, id)));
            return new FilledRequest(view.ToDto(), [.. lines.OfType<DealLine>()], deals.Next is not null);
        }, RequestsPerPage);
    }

    internal sealed record FilledRequest(RequestDto Request, IReadOnlyList<DealLine> Deals, bool MoreDeals);
}
