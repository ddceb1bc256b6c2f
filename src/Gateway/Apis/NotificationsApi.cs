using System.Globalization;
using CoopMarket.Gateway.Contracts;
using CoopMarket.Gateway.Notifications;
using CoopMarket.Gateway.Security;
using CoopMarket.Grains.Notifications;
using CoopMarket.Grains.Participants;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CoopMarket.Gateway.Apis;

/// <summary>A participant's notifications — its inbox, its live events and its webhooks — the same for a cooperative
/// and a buyer. Only the participant itself and the administrator see them; anyone else is told they do not exist.</summary>
internal static class NotificationsApi
{
    public static IEndpointRouteBuilder MapNotificationsApi(this IEndpointRouteBuilder app)
    {
        Map(app, "cooperatives", "Cooperative", IInboxGrain.CooperativeKey, (grains, id) => grains.GetGrain<ICooperativeGrain>(id).GetAsync());
        Map(app, "buyers", "Buyer", IInboxGrain.BuyerKey, (grains, id) => grains.GetGrain<IBuyerGrain>(id).GetAsync());
        return app;
    }

    private static void Map<TProfile>(IEndpointRouteBuilder app, string resource, string name, Func<string, string> inboxKey, Func<IGrainFactory, string, Task<TProfile?>> find)
    {
        var api = app.MapGroup($"/api/{resource}/{{id}}").WithTags("Notifications").RequireAuthorization();
        var noun = name.ToLowerInvariant();

        async Task<string?> OwnInboxAsync(string id, Caller caller, IGrainFactory grains) =>
            caller.MayAccess(id) && await find(grains, id) is not null ? inboxKey(id) : null;

        api.MapGet("/inbox", async Task<IResult> (string id, PageQuery paging, Caller caller, IGrainFactory grains) =>
                await OwnInboxAsync(id, caller, grains) is not { } key ? NotFound(noun, id)
                : paging.Request is not { } request ? Invalid("Invalid paging", paging.Error)
                : await PageAsync(grains.GetGrain<IInboxGrain>(key), request))
            .Lists<NoticeEvent>().ProducesProblems(StatusCodes.Status404NotFound)
            .WithName($"List{name}Inbox").WithSummary($"The {noun}'s notifications, newest first, a page at a time, each with its read flag.");
        api.MapGet("/inbox/unread", async Task<IResult> (string id, Caller caller, IGrainFactory grains) =>
                await OwnInboxAsync(id, caller, grains) is not { } key ? NotFound(noun, id)
                : TypedResults.Ok(Unread(await grains.GetGrain<IInboxGrain>(key).GetSummaryAsync())))
            .Produces<InboxUnread>().ProducesProblems(StatusCodes.Status404NotFound)
            .WithName($"Get{name}InboxUnread").WithSummary($"How many of the {noun}'s notifications are unread.");
        api.MapPost("/inbox/read", (string id, MarkInboxRead body, HttpRequest request, Caller caller, IGrainFactory grains) =>
                Idempotency.WithKeyAsync(request, async Task<IResult> (_) => await OwnInboxAsync(id, caller, grains) is not { } key ? NotFound(noun, id)
                    : !long.TryParse(body.UpTo, NumberStyles.None, CultureInfo.InvariantCulture, out var upTo) || upTo < 1 ? Field("upTo", "upTo must be an eventId of this inbox.")
                    : await grains.GetGrain<IInboxGrain>(key).MarkReadAsync(upTo) is { } summary ? TypedResults.Ok(Unread(summary))
                    : Field("upTo", $"The inbox holds no event '{body.UpTo}'.")))
            .Produces<InboxUnread>().WithMetadata(new ApiContract.IdempotencyKeyMetadata()).ProducesProblems(StatusCodes.Status404NotFound)
            .WithName($"Mark{name}InboxRead").WithSummary("Marks an event and every older one read; marking an older event later changes nothing, so a retry is safe.");
        api.MapGet("/events", async (string id, HttpContext http, Caller caller, IGrainFactory grains, LiveEvents live) =>
            {
                if (await OwnInboxAsync(id, caller, grains) is not { } key)
                {
                    await NotFound(noun, id).ExecuteAsync(http);
                }
                else if (!LiveEvents.TryResumeAfter(http.Request, out var after))
                {
                    await Invalid("Invalid Last-Event-ID", "Last-Event-ID must be an event id this stream sent.").ExecuteAsync(http);
                }
                else
                {
                    await live.StreamAsync(http, key, after);
                }
            })
            .Produces<string>(StatusCodes.Status200OK, LiveEvents.ContentType).ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound)
            .WithName($"Stream{name}Events")
            .WithSummary($"The {noun}'s notifications as Server-Sent Events (id: event id, event: kind, data: JSON), with heartbeat comments; Last-Event-ID resumes after that event.");
        api.MapPost("/webhooks", (string id, RegisterWebhook body, HttpRequest request, Caller caller, IGrainFactory grains, WebhookAddresses addresses) =>
                Idempotency.WithKeyAsync(request, async Task<IResult> (key) =>
                {
                    if (await OwnInboxAsync(id, caller, grains) is not { } inbox)
                    {
                        return NotFound(noun, id);
                    }

                    if (await addresses.CheckAsync(body.Url ?? "", request.HttpContext.RequestAborted) is { } error)
                    {
                        return Field("url", error);
                    }

                    var webhookId = Idempotency.IdFor("webhook", inbox, key);
                    var registered = await grains.GetGrain<IWebhooksGrain>(inbox).RegisterAsync(webhookId, body.Url!);
                    return registered.Outcome switch
                    {
                        WebhookOutcome.Registered => TypedResults.Created($"/api/{resource}/{id}/webhooks/{webhookId}", ToDto(registered.Webhook!, registered.Secret)),
                        WebhookOutcome.KeyReused => Reply<WebhookDto>.KeyReused().ToResult(),
                        _ => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Too many webhooks",
                            detail: $"A participant may have {IWebhooksGrain.MaxWebhooks} webhooks; delete one first."),
                    };
                }))
            .Creates<WebhookDto>().ProducesProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict)
            .WithName($"Register{name}Webhook").WithSummary("Registers a URL that is POSTed each later event, signed, retried with backoff until it answers 2xx. Answers the signing secret once.");
        api.MapGet("/webhooks", async Task<IResult> (string id, Caller caller, IGrainFactory grains) =>
                await OwnInboxAsync(id, caller, grains) is not { } key ? NotFound(noun, id)
                : TypedResults.Ok((await grains.GetGrain<IWebhooksGrain>(key).ListAsync()).Select(w => ToDto(w, null)).ToList()))
            .Produces<List<WebhookDto>>().ProducesProblems(StatusCodes.Status404NotFound)
            .WithName($"Get{name}Webhooks").WithSummary($"The {noun}'s webhooks and the state of their deliveries.");
        api.MapDelete("/webhooks/{webhookId}", async Task<IResult> (string id, string webhookId, Caller caller, IGrainFactory grains) =>
            {
                if (await OwnInboxAsync(id, caller, grains) is not { } key)
                {
                    return NotFound(noun, id);
                }

                await grains.GetGrain<IWebhooksGrain>(key).DeleteAsync(webhookId);
                return TypedResults.NoContent();
            })
            .Produces(StatusCodes.Status204NoContent).ProducesProblems(StatusCodes.Status404NotFound)
            .WithName($"Delete{name}Webhook").WithSummary("Deletes a webhook; events not yet sent to it are not sent. Deleting one that is gone answers 204 too, so a retry is safe.");
    }

    private static async Task<IResult> PageAsync(IInboxGrain inbox, Grains.Paging.PageRequest request)
    {
        var page = await inbox.GetPageAsync(request);
        return TypedResults.Ok(new Page<NoticeEvent>([.. page.Items.Select(NoticeEvent.From)], page.Next?.ToString(CultureInfo.InvariantCulture)));
    }

    private static InboxUnread Unread(InboxSummary summary) => new(summary.Unread, EventId(summary.Count), EventId(summary.ReadThrough));

    private static string? EventId(long sequence) => sequence > 0 ? sequence.ToString(CultureInfo.InvariantCulture) : null;

    private static WebhookDto ToDto(WebhookView view, string? secret) => new(view.Id, view.Url, view.CreatedAt, EventId(view.DeliveredThrough),
        view.Pending, view.Attempts, view.LastStatus, view.LastError, view.LastAttemptAt, view.NextAttemptAt, secret);

    private static ValidationProblem Field(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: "The request is invalid; nothing was changed.");

    private static ProblemHttpResult Invalid(string title, string? detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: title, detail: detail);

    private static ProblemHttpResult NotFound(string noun, string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"No {noun} has the id '{id}'.");
}
