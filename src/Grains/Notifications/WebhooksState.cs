namespace CoopMarket.Grains.Notifications;

[GenerateSerializer, Immutable]
internal sealed record WebhooksState
{
    [Id(0)] public IReadOnlyList<Webhook> Hooks { get; init; } = [];
}

/// <summary>A registered webhook and where its deliveries stand.</summary>
/// <param name="Secret">Signs each delivery; kept because every delivery needs it, never shown after registration.</param>
[GenerateSerializer, Immutable]
internal sealed record Webhook(
    [property: Id(0)] string Id,
    [property: Id(1)] string Url,
    [property: Id(2)] string Secret,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] long DeliveredThrough,
    [property: Id(5)] int Attempts = 0,
    [property: Id(6)] int? LastStatus = null,
    [property: Id(7)] string? LastError = null,
    [property: Id(8)] DateTimeOffset? LastAttemptAt = null,
    [property: Id(9)] DateTimeOffset? NextAttemptAt = null)
{
    public WebhookView View(long inboxCount) =>
        new(Id, Url, CreatedAt, DeliveredThrough, Math.Max(0, inboxCount - DeliveredThrough), Attempts, LastStatus, LastError, LastAttemptAt, NextAttemptAt);

    /// <summary>Whether the next notice may be sent at <paramref name="now"/>.</summary>
    public bool IsDue(DateTimeOffset now) => NextAttemptAt is not { } next || next <= now;
}
