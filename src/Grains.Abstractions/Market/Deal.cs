namespace CoopMarket.Grains.Market;

/// <summary>A deal the market made: kilograms of one lot for one request at the lot's ask.</summary>
/// <param name="Reason">Why this lot went to this request, as the ranking keys the market compared; null only on a deal
/// recorded before reasons were kept structured, which carries its sentence in <see cref="ReasonText"/> instead.</param>
/// <param name="BuyerVerified">Whether the district office had verified the buyer when the request was placed: a
/// cooperative weighs a deal with a self-registered buyer differently.</param>
/// <param name="TraceCode">The code printed on a shipped deal's goods, under which anyone can trace where they came
/// from; null until the deal ships.</param>
/// <remarks>Field 10 held the reason as an English sentence until reasons became structured; the structured reason
/// took a new field (16) rather than field 10, so journal entries and records written before still read, with their
/// sentence kept in <see cref="ReasonText"/>.</remarks>
[GenerateSerializer, Immutable]
public sealed record Deal(
    [property: Id(0)] string Id,
    [property: Id(1)] string LotId,
    [property: Id(2)] string RequestId,
    [property: Id(3)] string CooperativeId,
    [property: Id(4)] string BuyerId,
    [property: Id(5)] string Product,
    [property: Id(6)] long QuantityGrams,
    [property: Id(7)] long PriceVndPerKg,
    [property: Id(8)] long TransportVndPerKg,
    [property: Id(9)] string Status,
    [property: Id(16)] DealReason? Reason,
    [property: Id(11)] DateOnly HarvestOn,
    [property: Id(12)] DateOnly DeliverOn,
    [property: Id(13)] DateTimeOffset MadeAt,
    [property: Id(14)] bool BuyerVerified = true,
    [property: Id(15)] string? TraceCode = null)
{
    public const string Proposed = "proposed";

    /// <summary>The reason of a deal recorded before reasons were structured, as the English sentence it was stored as.</summary>
    [Id(10)]
    public string? ReasonText { get; init; }
}
