namespace CoopMarket.Grains.Market;

/// <summary>The answer of a lot's or request's record to a command that would create it.</summary>
/// <param name="Outcome"><see cref="CommandOutcome.Done"/>: go on to the market, which creates it or answers a
/// recent retry; <see cref="CommandOutcome.Replayed"/>: created long ago, <paramref name="Receipt"/> is the first
/// answer; <see cref="CommandOutcome.KeyReused"/>: the id was claimed with another body.</param>
/// <param name="Retried">With <see cref="CommandOutcome.Done"/>: the id was claimed before with this body, so the
/// command may have reached the market already; the market is told, so it asks the record before creating anything.</param>
[GenerateSerializer, Immutable]
public sealed record Claim([property: Id(0)] CommandOutcome Outcome, [property: Id(1)] Receipt? Receipt, [property: Id(2)] bool Retried = false);
