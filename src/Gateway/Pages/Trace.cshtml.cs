using CoopMarket.Gateway.Apis;
using CoopMarket.Gateway.Contracts;
using CoopMarket.Grains.Market;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CoopMarket.Gateway.Pages;

/// <summary>The public page a label's QR code opens: what <c>GET /api/trace/{code}</c> answers, for a shopper's
/// phone. An unknown or malformed code gets a friendly 404, never an error page.</summary>
internal sealed class TraceModel(IGrainFactory grains) : PageModel
{
    public string Code { get; private set; } = "";
    public TraceDto? Shipment { get; private set; }

    // Model binding turns a blank route value into null.
    public async Task OnGetAsync(string? code)
    {
        // Crockford's encoding is case-insensitive: a code typed from a label in lower case names the same shipment.
        Code = TraceCode.Normalize(code ?? "");
        Shipment = await TraceApi.FindAsync(grains, Code);
        if (Shipment is null)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
        }
    }
}
