using System.Text.Json.Serialization;

namespace CoopMarket.Gateway.Contracts;

/// <summary>Marks the inbox read up to an event.</summary>
/// <param name="UpTo">An <c>eventId</c> of the inbox: it and every older event become read.</param>
public sealed record MarkInboxRead(string? UpTo);

/// <summary>How much of an inbox is unread.</summary>
/// <param name="Unread">Events not yet marked read.</param>
/// <param name="LatestEventId">The newest event's id; null for an empty inbox.</param>
/// <param name="ReadThrough">Every event up to this id is read; null when none is.</param>
public sealed record InboxUnread(long Unread, string? LatestEventId, string? ReadThrough);

/// <summary>A webhook to register.</summary>
/// <param name="Url">Where each event is POSTed: http or https, and outside Development a public address.</param>
public sealed record RegisterWebhook(string? Url);

/// <summary>A webhook and the state of its deliveries; <c>secret</c> only in the registration answer.</summary>
/// <param name="Id">The webhook's id.</param>
/// <param name="Url">Where events are POSTed.</param>
/// <param name="CreatedAt">When it was registered; it gets the events after that.</param>
/// <param name="DeliveredThrough">The last event id the receiver acknowledged with a 2xx; null before the first.</param>
/// <param name="Pending">Events waiting to be sent, oldest first, one at a time.</param>
/// <param name="Attempts">Failed attempts at the next event.</param>
/// <param name="LastStatus">The HTTP status of the last attempt; null when it got no answer or none was made.</param>
/// <param name="LastError">Why the last attempt failed; null when it succeeded.</param>
/// <param name="LastAttemptAt">When the last attempt was made.</param>
/// <param name="NextAttemptAt">When the next event is retried; null when nothing waits for a retry.</param>
/// <param name="Secret">Signs each delivery (<c>X-CoopMarket-Signature: sha256=HMAC-SHA256(secret, body)</c>); shown once.</param>
public sealed record WebhookDto(
    string Id,
    string Url,
    DateTimeOffset CreatedAt,
    string? DeliveredThrough,
    long Pending,
    int Attempts,
    int? LastStatus,
    string? LastError,
    DateTimeOffset? LastAttemptAt,
    DateTimeOffset? NextAttemptAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Secret = null);
