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
    public string? Failure { get; private set; }

    public async Task OnGetAsync()
    {
        var today = clock.Today();
        Form = FormState.Empty;
        Form.Set("idempotencyKey", Guid.NewGuid().ToString("N"));
        Form.Set("deliverFrom", today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        Form.Set("deliverBy", today.AddDays(14).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
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
        if (!Form.HasErrors)
        {
            var caller = Caller.From(User);
            var reply = await commands.PlaceRequestAsync(caller.ParticipantId!, body, Form.Text("idempotencyKey"), caller);
            if (reply.Succeeded)
            {
                return RedirectToPage("/Buyer/Requests", new { placed = reply.Value!.Id });
            }

            Form.Absorb(reply.Errors);
            Failure = reply.Errors is null ? reply.Detail : null;
            Response.StatusCode = reply.Status;
            if (reply.Errors is null)
            {
                // Refused after the request was claimed (e.g. over an unverified buyer's allowance): a corrected form is
                // a new request, so it needs a key of its own.
                Form.Set("idempotencyKey", Guid.NewGuid().ToString("N"));
            }
        }
        else
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }

        Products = await grains.GetGrain<ICatalogGrain>(ICatalogGrain.Key).ListAsync();
        return Page();
    }
}
