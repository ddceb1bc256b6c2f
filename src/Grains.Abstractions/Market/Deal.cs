namespace CoopMarket.Grains.Market;

/// <summary>A deal the market made: kilograms of one lot for one request at the lot's ask.</summary>
/// <param name="Reason">Why this lot went to this request, in words a district officer can repeat.</param>
/// <param name="BuyerVerified">Whether the district office had verified the buyer when the request was placed: a
/// cooperative weighs a deal with a self-registered buyer differently.</param>
/// <param name="Status">Where the deal stands in its lifecycle (see <see cref="DealLifecycle"/>).</param>
/// <param name="TraceCode">The traceability code the market issued when the cooperative shipped; null before.</param>
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
    [property: Id(14)] bool BuyerVerified = true,
    [property: Id(15)] string? TraceCode = null)
{
    public const string Proposed = "proposed";
    public const string Confirmed = "confirmed";
    public const string Rejected = "rejected";
    public const string Shipped = "shipped";
    public const string Delivered = "delivered";
    public const string Settled = "settled";
    public const string Expired = "expired";
    public const string Cancelled = "cancelled";

    /// <summary>When the deal expires unless the cooperative confirms it first; set by the market as it makes the deal.</summary>
    [Id(16)] public DateTimeOffset? ConfirmBy { get; init; }

    /// <summary>When the deal last changed status.</summary>
    [Id(17)] public DateTimeOffset? StatusAt { get; init; }

    /// <summary>When the cooperative recorded dispatch.</summary>
    [Id(18)] public DateTimeOffset? ShippedAt { get; init; }

    /// <summary>The grams the buyer recorded as received, once delivered.</summary>
    [Id(19)] public long? DeliveredGrams { get; init; }

    /// <summary>When the buyer recorded the delivery.</summary>
    [Id(20)] public DateTimeOffset? DeliveredAt { get; init; }

    /// <summary>The buyer's payment reference, once settled.</summary>
    [Id(21)] public string? SettlementReference { get; init; }

    /// <summary>The deal after <paramref name="change"/>: the one way a record and an answer apply a market decision.</summary>
    public Deal After(DealChange change) => this with
    {
        Status = change.Status,
        StatusAt = change.At,
        TraceCode = change.TraceCode ?? TraceCode,
        ShippedAt = change.Status == Shipped ? change.At : ShippedAt,
        DeliveredGrams = change.DeliveredGrams ?? DeliveredGrams,
        DeliveredAt = change.Status == Delivered ? change.At : DeliveredAt,
        SettlementReference = change.Reference ?? SettlementReference,
    };
}
