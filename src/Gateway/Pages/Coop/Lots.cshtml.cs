using CoopMarket.Gateway.Apis;
using CoopMarket.Gateway.Contracts;
using CoopMarket.Gateway.Security;
using CoopMarket.Gateway.Web;
using CoopMarket.Grains.Market;
using CoopMarket.Grains.Participants;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CoopMarket.Gateway.Pages.Coop;

/// <summary>The signed-in cooperative's own lots, newest first: only its own, since the id comes from its sign-in. A lot
/// still open or sold can be reported short through <see cref="MarketCommands.ReportShortfallAsync"/>, the API's own command.</summary>
internal sealed class LotsModel(IGrainFactory grains, MarketCommands commands) : PageModel
{
    public Listing<LotDto> Lots { get; private set; } = new([], null);
    public LotDto? Posted { get; private set; }

    /// <summary>The lot whose shortfall form is open, and the lot a shortfall was just reported for.</summary>
    public LotDto? Shortfall { get; private set; }
    public LotDto? Shorted { get; private set; }
    public FormState ShortfallForm { get; private set; } = FormState.Empty;

    public async Task OnGetAsync(string? cursor, string? posted, string? shortfall, string? shorted)
    {
        await LoadAsync(cursor);
        Posted = await OwnAsync(posted);
        Shorted = await OwnAsync(shorted);
        Shortfall = await OwnAsync(shortfall);
        ShortfallForm = new FormState(Request.Query);
        ShortfallForm.Set("idempotencyKey", Guid.NewGuid().ToString("N"));
    }

    public async Task<IActionResult> OnPostShortfallAsync(string lotId)
    {
        ShortfallForm = new FormState(Request.Form);
        var body = new ReportShortfall(ShortfallForm.Decimal("newQuantityKg"));
        var caller = Caller.From(User);
        if (await ShortfallForm.SendAsync(Response, () => commands.ReportShortfallAsync(lotId, body, ShortfallForm.Text("idempotencyKey"), caller)) is { Succeeded: true } reply)
        {
            return RedirectToPage("/Coop/Lots", new { shorted = reply.Value!.Id });
        }

        await LoadAsync(null);
        Shortfall = await OwnAsync(lotId);
        return Page();
    }

    private async Task LoadAsync(string? cursor) =>
        Lots = await Listing<LotDto>.LoadAsync(grains.GetGrain<ICooperativeGrain>(Caller.From(User).ParticipantId!).GetLotIdsAsync, cursor, Load);

    private async Task<LotDto?> OwnAsync(string? id) =>
        id is not null && await Load(id) is { } lot && Caller.From(User).ParticipantId == lot.CooperativeId ? lot : null;

    private async Task<LotDto?> Load(string id) => (await grains.GetGrain<ISupplyLotGrain>(id).GetAsync())?.ToDto();
}
