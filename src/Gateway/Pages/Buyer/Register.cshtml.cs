using CoopMarket.Gateway.Contracts;
using CoopMarket.Gateway.Security;
using CoopMarket.Gateway.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CoopMarket.Gateway.Pages.Buyer;

/// <summary>A buyer registers itself through <see cref="MarketCommands.RegisterBuyerAsync"/>, unverified, with the
/// same per-address limits as the API; it is shown its key once and signed in with it.</summary>
internal sealed class RegisterModel(MarketCommands commands) : PageModel
{
    /// <summary>The kinds the picker offers; <see cref="MarketCommands"/> holds the list that is checked (private to it
    /// until its split by resource lands, when this reads that one).</summary>
    public static readonly string[] Kinds = ["supermarket", "wholesaler", "processor", "exporter", "restaurant", "other"];

    public FormState Form { get; private set; } = FormState.Empty;
    public BuyerDto? Registered { get; private set; }
    public string? Failure { get; private set; }

    public void OnGet()
    {
        Form = FormState.Empty;
        Form.Set("idempotencyKey", Guid.NewGuid().ToString("N"));
    }

    public async Task OnPostAsync()
    {
        Form = new FormState(Request.Form);
        var body = new RegisterBuyer(Form.Text("name"), Form.Text("kind"), Form.Text("province"));
        var reply = await commands.RegisterBuyerAsync(body, Form.Text("idempotencyKey"), Caller.From(User), ClientScope.Of(HttpContext));
        if (reply.Succeeded)
        {
            Registered = reply.Value!;
            await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme,
                SignInPage.ParticipantPrincipal(Caller.Buyer, Registered.Id, Registered.Verified, ApiKeys.Parse(Registered.ApiKey!)!.Value.Hash));
            return;
        }

        Form.Absorb(reply.Errors);
        Failure = reply.Errors is null ? reply.Detail : null;
        Response.StatusCode = reply.Status;
    }
}
