namespace CoopMarket.Grains.Market;

/// <summary>What one market entry did to a lot, sent to the lot's record. Every change carries the lot's terms, so
/// any one of them can rebuild a record that was lost: no change is ever impossible to apply.</summary>
/// <param name="Version">The market's journal entry number: records ignore a change they already have.</param>
/// <param name="NewDealIds">Deals this entry made from the lot.</param>
/// <param name="Receipt">The answer to the post, set on the change of the entry that posted the lot.</param>
/// <param name="BodyHash">The body the lot was posted with, set with <paramref name="Receipt"/>: the record owns the id
/// from then on even if nothing claimed it first.</param>
/// <param name="ReturnedGrams">Grams this entry gave back to the cooperative unsold (a withdrawn or expired rest, or a
/// deal's grams coming back after the lot closed): added to the record's total once, as the version guards it.</param>
/// <param name="ShortfallGrams">Grams this entry took off the lot's quantity (a shortfall), added to its total likewise.</param>
/// <param name="UndeliveredGrams">Grams shipped from the lot that a delivery this entry recorded did not bring, likewise.</param>
/// <param name="Shortfall">The shortfall this entry carried out, with the idempotency key it was reported with.</param>
[GenerateSerializer, Immutable]
public sealed record LotChange(
    [property: Id(0)] string LotId,
    [property: Id(1)] long Version,
    [property: Id(2)] long RemainingGrams,
    [property: Id(3)] string Status,
    [property: Id(4)] IReadOnlyList<string> NewDealIds,
    [property: Id(5)] LotTerms Terms,
    [property: Id(6)] Receipt? Receipt = null,
    [property: Id(7)] string? BodyHash = null,
    [property: Id(8)] long ReturnedGrams = 0,
    [property: Id(9)] long ShortfallGrams = 0,
    [property: Id(10)] long UndeliveredGrams = 0,
    [property: Id(11)] LotShortfall? Shortfall = null);

/// <summary>What one market entry did to a request, sent to the request's record.</summary>
[GenerateSerializer, Immutable]
public sealed record RequestChange(
    [property: Id(0)] string RequestId,
    [property: Id(1)] long Version,
    [property: Id(2)] long FilledGrams,
    [property: Id(3)] long RemainingGrams,
    [property: Id(4)] string Status,
    [property: Id(5)] IReadOnlyList<string> NewDealIds,
    [property: Id(6)] RequestTerms Terms,
    [property: Id(7)] Receipt? Receipt = null,
    [property: Id(8)] string? BodyHash = null);
