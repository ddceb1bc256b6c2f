using CoopMarket.Gateway.Apis;
using CoopMarket.Gateway.Contracts;
using CoopMarket.Gateway.Security;
using CoopMarket.Gateway.Web;
using CoopMarket.Grains.Participants;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Primitives;

namespace CoopMarket.Gateway.Pages.Coop;

/// <summary>The signed-in cooperative's auto-confirm rules, through <see cref="AutoConfirmCommands"/>, the API's own
/// command: buyers typed one per line, value chains ticked among those it belongs to (and any it named before).</summary>
internal sealed class AutoConfirmModel(AutoConfirmCommands commands, IGrainFactory grains) : PageModel
{
    public FormState Form { get; private set; } = FormState.Empty;
    public IReadOnlyList<string> Chains { get; private set; } = [];
    public bool Saved { get; private set; }

    public async Task OnGetAsync(bool saved = false)
    {
        Saved = saved;
        var caller = Caller.From(User);
        var rules = (await commands.GetAsync(caller.ParticipantId!, caller)).Value ?? new AutoConfirmDto([], []);
        Form = new FormState([new("buyerIds", string.Join('\n', rules.BuyerIds)), new("valueChainIds", new StringValues([.. rules.ValueChainIds]))]);

        await LoadChainsAsync(caller, rules.ValueChainIds);
    }

    public async Task<IActionResult> OnPostAsync()
    {
        Form = new FormState(Request.Form);
        var caller = Caller.From(User);
        var buyers = Form["buyerIds"].Split(['\n', '\r', ',', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (await Form.SendAsync(Response, () => commands.SetAsync(caller.ParticipantId!, new SetAutoConfirm(buyers, Form.All("valueChainIds")), caller)) is { Succeeded: true })
        {
            return RedirectToPage("/Coop/AutoConfirm", new { saved = true });
        }

        await LoadChainsAsync(caller, Form.All("valueChainIds"));
        return Page();
    }

    private async Task LoadChainsAsync(Caller caller, IReadOnlyList<string> named)
    {
        var member = await grains.GetGrain<ICooperativeGrain>(caller.ParticipantId!).GetChainsAsync();
        Chains = [.. member.Select(c => c.ValueChainId).Concat(named).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }
}
