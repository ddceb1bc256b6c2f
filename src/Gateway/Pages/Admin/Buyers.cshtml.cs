using CoopMarket.Gateway.Apis;
using CoopMarket.Gateway.Contracts;
using CoopMarket.Gateway.Security;
using CoopMarket.Gateway.Web;
using CoopMarket.Grains.Participants;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CoopMarket.Gateway.Pages.Admin;

/// <summary>The district office verifies buyers through <see cref="ParticipantCommands.VerifyBuyerAsync"/>, the API's command.</summary>
internal sealed class BuyersModel(ParticipantCommands commands, IGrainFactory grains) : PageModel
{
    public Listing<BuyerDto> Buyers { get; private set; } = new([], null);
    public string? Verified { get; private set; }

    public async Task OnGetAsync(string? cursor, string? verified)
    {
        Verified = verified;
        Buyers = await Listing<BuyerDto>.LoadAsync(grains.GetGrain<IRegistryGrain>(IRegistryGrain.Buyers).ListAsync, cursor,
            async id => (await grains.GetGrain<IBuyerGrain>(id).GetAsync())?.ToDto());
    }

    public async Task<IActionResult> OnPostVerifyAsync(string id)
    {
        var reply = await commands.VerifyBuyerAsync(id, Caller.From(User));
        return reply.Succeeded ? RedirectToPage(new { verified = reply.Value!.Name }) : NotFound();
    }
}
