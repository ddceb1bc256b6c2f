using CoopMarket.Gateway.Apis;
using CoopMarket.Gateway.Contracts;
using CoopMarket.Gateway.Security;
using CoopMarket.Gateway.Validation;
using CoopMarket.Gateway.Web;
using CoopMarket.Grains;
using CoopMarket.Grains.Catalog;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CoopMarket.Gateway.Pages.Buyer;

/// <summary>A buyer places a purchase request through <see cref="MarketCommands.PlaceRequestAsync"/>, the API's own
/// command; it fills from open lots at once and the buyer sees by whom and why.</summary>
internal sealed class NewRequestModel(MarketCommands commands, IGrainFactory grains, [FromKeyedServices(MarketTime.ServiceKey)] TimeProvider clock) : PageModel
{
    public FormState Form { get; private set; } = FormState.Empty;
    public IReadOnlyList<Product> Products { get; private set; } = [];

    public async Task OnGetAsync()
    {
        var today = clock.Today();
        Form = FormState.Empty;
        Form.Set("idempotencyKey", Guid.NewGuid().ToString("N"));
        Form.Set("deliverFrom", today);
        Form.Set("deliverBy", today.AddDays(14));
        Form.Set("minGrade", "C");
        Form.Set("allowPartial", "true");
        Products = await grains.GetGrain<ICatalogGrain>(ICatalogGrain.Key).ListAsync();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        Form = new FormState(Request.Form);
        var body = new PlaceRequest(Form.Text("product"), Form.Decimal("quantityKg"), Form.Date("deliverFrom"), Form.Date("deliverBy"),
            Form.Decimal("maxVndPerKg"), Form.Text("minGrade"),
            [.. Vocabulary.RequiredSchemes.Where(s => Form.Has("requiredCertifications", s))],
            AllowPartial: Form.Has("allowPartial", "true"));
        var caller = Caller.From(HttpContext);
        var reply = await Form.SendAsync(Response, () => commands.PlaceRequestAsync(caller.ParticipantId!, body, Form.Text("idempotencyKey"), caller));
        if (reply is { Succeeded: true })
        {
            return RedirectToPage("/Buyer/Requests", new { placed = reply.Value!.Id });
        }

        if (reply is { Errors: null })
        {
            // Refused after the request was claimed (e.g. over an unverified buyer's allowance): a corrected form is
            // a new request, so it needs a key of its own.
            Form.Set("idempotencyKey", Guid.NewGuid().ToString("N"));
        }

        Products = await grains.GetGrain<ICatalogGrain>(ICatalogGrain.Key).ListAsync();
        return Page();
    }
}
