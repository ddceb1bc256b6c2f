using CoopMarket.Gateway.Apis;
using CoopMarket.Gateway.Contracts;
using CoopMarket.Gateway.Security;
using CoopMarket.Gateway.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CoopMarket.Gateway.Pages.Buyer;

/// <summary>A buyer registers itself through <see cref="ParticipantCommands.RegisterBuyerAsync"/>, unverified, with the
/// same per-address limits as the API; it is shown its key once and signed in with it.</summary>
[RegistersBuyer]
internal sealed class RegisterModel(ParticipantCommands commands) : PageModel
{
    /// <summary>The kinds the picker offers: the list the command checks.</summary>
    public static IReadOnlyList<string> Kinds => ParticipantCommands.BuyerKinds;

    public FormState Form { get; private set; } = FormState.Empty;
    public BuyerDto? Registered { get; private set; }

    public void OnGet()
    {
        Form = FormState.Empty;
        Form.Set("idempotencyKey", Guid.NewGuid().ToString("N"));
    }

    public async Task OnPostAsync()
    {
        Form = new FormState(Request.Form);
        var body = new RegisterBuyer(Form.Text("name"), Form.Text("kind"), Form.Text("province"));
        var reply = await Form.SendAsync(Response, () => commands.RegisterBuyerAsync(body, Form.Text("idempotencyKey"), Caller.From(User), ClientScope.Of(HttpContext)));
        if (reply is { Succeeded: true })
        {
            Registered = reply.Value!;
            await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme,
                SignInPage.ParticipantPrincipal(Caller.Buyer, Registered.Id, Registered.Verified, ApiKeys.Parse(Registered.ApiKey!)!.Value.Hash));
        }
    }
}
