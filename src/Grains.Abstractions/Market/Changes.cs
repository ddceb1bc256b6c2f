namespace CoopMarket.Grains.Market;

/// <summary>What one market entry did to a lot, sent to the lot's record.</summary>
/// <param name="Version">The market's journal entry number: records ignore a change they already have.</param>
/// <param name="Terms">Set when the entry created the lot.</param>
/// <param name="NewDealIds">Deals this entry made from the lot.</param>
[GenerateSerializer, Immutable]
public sealed record LotChange(
    [property: Id(0)] string LotId,
    [property: Id(1)] long Version,
    [property: Id(2)] long RemainingGrams,
    [property: Id(3)] string Status,
    [property: Id(4)] IReadOnlyList<string> NewDealIds,
    [property: Id(5)] LotTerms? Terms);

/// <summary>What one market entry did to a request, sent to the request's record.</summary>
[GenerateSerializer, Immutable]
public sealed record RequestChange(
    [property: Id(0)] string RequestId,
    [property: Id(1)] long Version,
    [property: Id(2)] long FilledGrams,
    [property: Id(3)] long RemainingGrams,
    [property: Id(4)] string Status,
    [property: Id(5)] IReadOnlyList<string> NewDealIds,
    [property: Id(6)] RequestTerms? Terms);
