namespace CoopMarket.Grains.Market;

/// <summary>A deal the market made: kilograms of one lot for one request at the lot's ask.</summary>
/// <param name="Reason">Why this lot went to this request, as the ranking keys the market compared; null only on a deal
/// recorded before reasons were kept structured, which carries its sentence in <see cref="ReasonText"/> instead.</param>
/// <param name="BuyerVerified">Whether the district office had verified the buyer when the request was placed: a
/// cooperative weighs a deal with a self-registered buyer differently.</param>
/// <param name="TraceCode">The code printed on a shipped deal's goods, under which anyone can trace where they came
/// from; null until the deal ships.</param>
/// <param name="Status">Where the deal stands in its lifecycle (see <see cref="DealLifecycle"/>).</param>
/// <remarks>Field 10 held the reason as an English sentence until reasons became structured; the structured reason
/// took a new field (22) rather than field 10, so journal entries and records written before still read, with their
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
    [property: Id(22)] DealReason? Reason,
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

    /// <summary>Its lot fell short of all its grams before it shipped (see <see cref="DealLifecycle"/>).</summary>
    public const string Shorted = "shorted";

    /// <summary>The reason of a deal recorded before reasons were structured, as the English sentence it was stored as.</summary>
    [Id(10)] public string? ReasonText { get; init; }

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

    /// <summary>Grams its lot's shortfalls took off the deal before it shipped: <see cref="QuantityGrams"/> is what is left.</summary>
    [Id(23)] public long ShortGrams { get; init; }

    /// <summary>The deal after <paramref name="change"/>: the one way a record and an answer apply a market decision.</summary>
    public Deal After(DealChange change) => this with
    {
        Status = change.Status,
        StatusAt = change.Status != Status ? change.At : StatusAt,
        QuantityGrams = change.ShortGrams > 0 ? change.QuantityGrams : QuantityGrams,
        ShortGrams = ShortGrams + change.ShortGrams,
        TraceCode = change.TraceCode ?? TraceCode,
        ShippedAt = change.Status == Shipped ? change.At : ShippedAt,
        DeliveredGrams = change.DeliveredGrams ?? DeliveredGrams,
        DeliveredAt = change.Status == Delivered ? change.At : DeliveredAt,
        SettlementReference = change.Reference ?? SettlementReference,
    };
}
