namespace CoopMarket.Grains.Market;

/// <summary>What the market answered when a lot was posted or a request placed; kept so a retry with the same
/// idempotency key gets the very same answer.</summary>
[GenerateSerializer, Immutable]
public sealed record Receipt(
    [property: Id(0)] string Id,
    [property: Id(1)] string Status,
    [property: Id(2)] long RemainingGrams,
    [property: Id(3)] long FilledGrams,
    [property: Id(4)] IReadOnlyList<Deal> Deals);

/// <summary>The outcome of a command that may be a retry.</summary>
public enum CommandOutcome
{
    /// <summary>Done now.</summary>
    Done,

    /// <summary>Done before, with the same body: nothing changed, the first answer is returned.</summary>
    Replayed,

    /// <summary>The idempotency key was used before with another body: nothing changed.</summary>
    KeyReused,
}

[GenerateSerializer, Immutable]
public sealed record CommandResult<T>([property: Id(0)] CommandOutcome Outcome, [property: Id(1)] T? Value);
