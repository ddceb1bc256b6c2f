namespace CoopMarket.Grains.Market;

/// <summary>A cooperative's report that a lot holds less than it posted (a poor harvest), as the gateway validated it.</summary>
/// <param name="NewQuantityGrams">What the lot holds now: less than it held, and no less than what has shipped.</param>
/// <param name="Key">The idempotency key it was reported with, so a retry with it gets the same answer.</param>
[GenerateSerializer, Immutable]
public sealed record LotShortfall(
    [property: Id(0)] string LotId,
    [property: Id(1)] long NewQuantityGrams,
    [property: Id(2)] string? Key);

/// <summary>How the market answered a shortfall.</summary>
public enum ShortfallOutcome
{
    /// <summary>Carried out now; <see cref="ShortfallResult.Lot"/> is the lot after it.</summary>
    Done,

    /// <summary>Carried out before with the same key and quantity: nothing changed.</summary>
    Replayed,

    /// <summary>The key was used before with another quantity: nothing changed.</summary>
    KeyReused,

    /// <summary>The market holds the lot no longer: it was withdrawn, expired or shorted, or every gram of it shipped.</summary>
    Closed,

    /// <summary>The new quantity is not below what the lot holds (<see cref="ShortfallResult.QuantityGrams"/>).</summary>
    NotLess,

    /// <summary>The new quantity is below what has shipped and can no longer shrink (<see cref="ShortfallResult.LeastGrams"/>).</summary>
    BelowShipped,
}

/// <param name="QuantityGrams">What the lot held before the report.</param>
/// <param name="LeastGrams">The least the lot may hold: what its deals that shipped took.</param>
[GenerateSerializer, Immutable]
public sealed record ShortfallResult(
    [property: Id(0)] ShortfallOutcome Outcome,
    [property: Id(1)] LotView? Lot,
    [property: Id(2)] long QuantityGrams = 0,
    [property: Id(3)] long LeastGrams = 0);
