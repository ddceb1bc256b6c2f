using CoopMarket.Gateway.Notifications;
using CoopMarket.Gateway.Security;
using CoopMarket.Grains.Notifications;

namespace CoopMarket.Gateway.Web;

/// <summary>The signed-in participant's inbox for the web app: the same inbox grain and live-event plumbing the API's
/// <c>/api/{cooperatives|buyers}/{id}/events</c> use, reached with the web cookie.</summary>
/// <remarks>The stream's address names no participant: it is always the caller's own, so no cookie can open anyone
/// else's, and the API keeps taking bearer keys only (its routes never read the cookie).</remarks>
internal static class ParticipantInbox
{
    public const string EventsPath = "/inbox/events";

    /// <summary>The inbox of a signed-in cooperative or buyer; null for anyone else (the administrator has none).</summary>
    public static string? KeyOf(Caller caller) => (caller.Role, caller.ParticipantId) switch
    {
        (Caller.Cooperative, { } id) => IInboxGrain.CooperativeKey(id),
        (Caller.Buyer, { } id) => IInboxGrain.BuyerKey(id),
        _ => null,
    };

    public static IEndpointRouteBuilder MapInboxEvents(this IEndpointRouteBuilder app)
    {
        // Resumes after Last-Event-ID when the browser reconnects, otherwise after the newest notice the page showed
        // (?after=), so a notice that arrives between rendering the page and opening the stream is not missed.
        app.MapGet(EventsPath, async (long? after, HttpContext http, LiveEvents live) =>
            {
                if (!LiveEvents.TryResumeAfter(http.Request, out var resume) || after < 0)
                {
                    await TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid position",
                        detail: "after and Last-Event-ID must be event ids of this inbox.").ExecuteAsync(http);
                    return;
                }

                await live.StreamAsync(http, KeyOf(Caller.From(http.User))!, resume ?? after);
            })
            .RequireAuthorization(WebSetup.ParticipantPolicy).ExcludeFromDescription();
        return app;
    }
}
