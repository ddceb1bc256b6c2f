using CoopMarket.Gateway.Apis;
using CoopMarket.Gateway.Contracts;
using CoopMarket.Gateway.Security;
using CoopMarket.Gateway.Web;
using CoopMarket.Grains.Market;
using CoopMarket.Grains.Participants;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CoopMarket.Gateway.Pages.Coop;

/// <summary>The signed-in cooperative's own lots, newest first: only its own, since the id comes from its sign-in.</summary>
internal sealed class LotsModel(IGrainFactory grains) : PageModel
{
    public Listing<LotDto> Lots { get; private set; } = new([], null);
    public LotDto? Posted { get; private set; }

    public async Task OnGetAsync(string? cursor, string? posted)
    {
        var caller = Caller.From(User);
        var cooperative = grains.GetGrain<ICooperativeGrain>(caller.ParticipantId!);
        Lots = await Listing<LotDto>.LoadAsync(cooperative.GetLotIdsAsync, cursor, Load);
        Posted = posted is null ? null : await Load(posted) is { } lot && caller.MayAccess(lot.CooperativeId) ? lot : null;
    }

    private async Task<LotDto?> Load(string id) => (await grains.GetGrain<ISupplyLotGrain>(id).GetAsync())?.ToDto();
}
