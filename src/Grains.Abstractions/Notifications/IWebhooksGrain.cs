using Orleans.Concurrency;

namespace CoopMarket.Grains.Notifications;

/// <summary>The webhooks of one participant, keyed like its inbox (<c>cooperative/{id}</c> or <c>buyer/{id}</c>): each
/// gets every notice that arrives after its registration, in order, at least once.</summary>
public interface IWebhooksGrain : IGrainWithStringKey
{
    /// <summary>At most this many webhooks per participant: each one is a stream of outgoing calls the silo makes.</summary>
    public const int MaxWebhooks = 5;

    /// <summary>Registers <paramref name="url"/> as webhook <paramref name="id"/> (derived from the idempotency key), or
    /// answers the same webhook, secret included, to a retry with the same url.</summary>
    Task<WebhookRegistration> RegisterAsync(string id, string url);

    Task<IReadOnlyList<WebhookView>> ListAsync();

    /// <summary>Deletes webhook <paramref name="id"/>; one that is gone already changes nothing.</summary>
    Task DeleteAsync(string id);

    /// <summary>Notices arrived: send what is due now. One-way, so an inbox's delivery never waits for an outgoing call.</summary>
    [OneWay]
    Task WakeAsync();
}

public enum WebhookOutcome
{
    Registered,

    /// <summary>The id (idempotency key) names a webhook for another url.</summary>
    KeyReused,

    /// <summary>The participant has <see cref="IWebhooksGrain.MaxWebhooks"/> already.</summary>
    TooMany,
}

/// <summary>What registering answered; <see cref="Secret"/> signs every delivery and is told only here.</summary>
[GenerateSerializer, Immutable]
public sealed record WebhookRegistration([property: Id(0)] WebhookOutcome Outcome, [property: Id(1)] WebhookView? Webhook, [property: Id(2)] string? Secret);

/// <summary>A webhook and the state of its deliveries.</summary>
/// <param name="DeliveredThrough">The sequence of the last notice the receiver acknowledged (2xx).</param>
/// <param name="Pending">Notices that wait to be sent.</param>
/// <param name="Attempts">Failed attempts at the notice after <paramref name="DeliveredThrough"/>.</param>
/// <param name="LastStatus">The HTTP status of the last attempt; null when it got no answer or none was made.</param>
[GenerateSerializer, Immutable]
public sealed record WebhookView(
    [property: Id(0)] string Id,
    [property: Id(1)] string Url,
    [property: Id(2)] DateTimeOffset CreatedAt,
    [property: Id(3)] long DeliveredThrough,
    [property: Id(4)] long Pending,
    [property: Id(5)] int Attempts,
    [property: Id(6)] int? LastStatus,
    [property: Id(7)] string? LastError,
    [property: Id(8)] DateTimeOffset? LastAttemptAt,
    [property: Id(9)] DateTimeOffset? NextAttemptAt);
