using CoopMarket.Gateway.Apis;
using CoopMarket.Gateway.Contracts;
using CoopMarket.Gateway.Security;
using CoopMarket.Gateway.Web;
using CoopMarket.Grains.Market;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CoopMarket.Gateway.Pages.Deals;

/// <summary>A step on a deal from the deals table's forms, taken through <see cref="DealSteps"/>, the API's own code:
/// on success back to the side's deal list; otherwise a page that says why, in the reader's language.</summary>
internal sealed class StepModel(DealSteps steps) : PageModel
{
    public FormState Form { get; private set; } = FormState.Empty;

    /// <summary>The resource key of the refusal's sentence; field errors are on <see cref="Form"/>.</summary>
    public string Failure { get; private set; } = "";

    /// <summary>A step is only ever taken by a form; a reload of its address goes to the list it came from.</summary>
    public IActionResult OnGet() => LocalRedirect(ListPath());

    public async Task<IActionResult> OnPostAsync(string id, string step)
    {
        Form = new FormState(Request.Form);
        var kind = Enum.Parse<DealStep>(step, ignoreCase: true);
        var delivered = kind == DealStep.Deliver ? Form.Decimal("deliveredKg") : null;
        if (Form.HasErrors)
        {
            return Refused(StatusCodes.Status400BadRequest);
        }

        var caller = Caller.From(User);
        var key = Form.Text("idempotencyKey");
        var reply = kind switch
        {
            DealStep.Deliver => await steps.DeliverAsync(id, new RecordDelivery(delivered), key, caller),
            DealStep.Settle => await steps.SettleAsync(id, new RecordSettlement(Form.Text("reference")), key, caller),
            _ => await steps.TakeAsync(id, kind, key, caller),
        };
        if (reply.Succeeded)
        {
            return LocalRedirect(ListPath());
        }

        Form.Absorb(reply.Errors);
        return Refused(reply.Status);
    }

    private PageResult Refused(int status)
    {
        Failure = status switch
        {
            StatusCodes.Status400BadRequest => "Please correct the fields marked below; nothing was recorded.",
            StatusCodes.Status403Forbidden => "This step belongs to the deal's other side.",
            StatusCodes.Status404NotFound => "No such deal.",
            StatusCodes.Status409Conflict => "The deal's status no longer allows this step: someone else took a step first.",
            StatusCodes.Status422UnprocessableEntity => "This form was already sent with other values.",
            _ => "The step could not be recorded; please try again.",
        };
        Response.StatusCode = status;
        return Page();
    }

    public string ListPath() => Caller.From(User).Role == Caller.Buyer ? "/buyer/requests" : "/coop/deals";
}
