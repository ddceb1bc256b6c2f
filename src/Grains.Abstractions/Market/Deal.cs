namespace CoopMarket.Grains.Market;

/// <summary>A deal the market made: kilograms of one lot for one request at the lot's ask.</summary>
/// <param name="Reason">Why this lot went to this request, in words a district officer can repeat.</param>
/// <param name="BuyerVerified">Whether the district office had verified the buyer when the request was placed: a
/// cooperative weighs a deal with a self-registered buyer differently.</param>
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
    [property: Id(10)] string Reason,
    [property: Id(11)] DateOnly HarvestOn,
    [property: Id(12)] DateOnly DeliverOn,
    [property: Id(13)] DateTimeOffset MadeAt,
    [property: Id(14)] bool BuyerVerified = true)
{
    public const string Proposed = "proposed";
}
