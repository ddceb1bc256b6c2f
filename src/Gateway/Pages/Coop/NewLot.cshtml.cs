using CoopMarket.Gateway.Apis;
using CoopMarket.Gateway.Contracts;
using CoopMarket.Gateway.Security;
using CoopMarket.Gateway.Validation;
using CoopMarket.Gateway.Web;
using CoopMarket.Grains;
using CoopMarket.Grains.Catalog;
using CoopMarket.Grains.Market;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CoopMarket.Gateway.Pages.Coop;

/// <summary>A cooperative posts harvest supply through <see cref="MarketCommands.PostLotAsync"/>, the API's own command.</summary>
internal sealed class NewLotModel(MarketCommands commands, IGrainFactory grains, [FromKeyedServices(MarketTime.ServiceKey)] TimeProvider clock) : PageModel
{
    /// <summary>The schemes a lot is grown under, by checkbox; OCOP has its own stars field.</summary>
    public static readonly string[] Schemes = Vocabulary.RequiredSchemes;

    public FormState Form { get; private set; } = FormState.Empty;
    public IReadOnlyList<Product> Products { get; private set; } = [];
    public MarketBand? Band { get; private set; }

    public async Task OnGetAsync()
    {
        Form = new FormState(Request.Query);
        if (Form.Text("idempotencyKey") is null)
        {
            var today = clock.Today();
            Form.Set("idempotencyKey", Guid.NewGuid().ToString("N"));
            Form.Set("harvestFrom", today);
            Form.Set("harvestTo", today.AddDays(7));
        }

        await LoadAsync();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        Form = new FormState(Request.Form);
        var certifications = Schemes.Where(s => Form.Has("certifications", s)).Select(s => new CertificationDto(s)).ToList();
        if (Form.Int("ocopStars") is > 0 and var stars)
        {
            certifications.Add(new CertificationDto(Vocabulary.Ocop, stars));
        }

        var body = new PostLot(Form.Text("product"), Form.Decimal("quantityKg"), Form.Text("grade"), certifications,
            Form.Date("harvestFrom"), Form.Date("harvestTo"), Form.Decimal("askVndPerKg"), Form.Decimal("minOrderKg"));
        var caller = Caller.From(HttpContext);
        if (await Form.SendAsync(Response, () => commands.PostLotAsync(caller.ParticipantId!, body, Form.Text("idempotencyKey"), caller)) is { Succeeded: true } posted)
        {
            return RedirectToPage("/Coop/Lots", new { posted = posted.Value!.Id });
        }

        await LoadAsync();
        return Page();
    }

    private async Task LoadAsync()
    {
        Products = await grains.GetGrain<ICatalogGrain>(ICatalogGrain.Key).ListAsync();
        if (Form.Text("product") is { } code && Products.Any(p => p.Code == code))
        {
            Band = MarketBand.Of(await grains.GetGrain<IMarketGrain>(code).GetSummaryAsync());
        }
    }
}
