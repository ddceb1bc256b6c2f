namespace CoopMarket.Gateway.Contracts;

/// <summary>A deal: part of a lot sold to a request, and why the market matched them.</summary>
/// <param name="Id">The deal's id.</param>
/// <param name="LotId">The lot it sells from.</param>
/// <param name="RequestId">The request it fills.</param>
/// <param name="CooperativeId">The selling cooperative.</param>
/// <param name="BuyerId">The buying buyer.</param>
/// <param name="Product">The product code.</param>
/// <param name="QuantityKg">Kilograms sold (less what a shortfall of the lot took off before shipping).</param>
/// <param name="PriceVndPerKg">The farm-gate price, in đồng per kilogram.</param>
/// <param name="TransportVndPerKg">The estimated transport cost from pickup to delivery, in đồng per kilogram.</param>
/// <param name="Status">Where the deal stands: proposed, confirmed, rejected, shipped, delivered, settled, expired, cancelled,
/// or shorted (its lot fell short of all of it before shipping).</param>
/// <param name="Reason">Why these two matched: the keys the market ranked lots by, and a sentence saying so in the
/// language <c>Accept-Language</c> asks for (Vietnamese unless English is preferred).</param>
/// <param name="HarvestOn">The harvest day the deal takes from.</param>
/// <param name="DeliverOn">The day the goods are due.</param>
/// <param name="MadeAt">When the market made it.</param>
/// <param name="BuyerVerified">Whether the buyer was verified by the district office when the deal was made.</param>
/// <param name="ConfirmBy">When a proposed deal expires unless the cooperative confirms it.</param>
/// <param name="DeliveredKg">Kilograms the buyer recorded as received, once delivered.</param>
/// <param name="SettlementReference">The buyer's payment reference, once settled.</param>
/// <param name="TraceCode">Once the deal ships, the code on its goods' label, public at <c>/api/trace/{code}</c>; null before.</param>
/// <param name="ShortfallKg">Kilograms a shortfall of the lot took off the deal before it shipped; its request got them back.</param>
public sealed record DealDto(
    string Id,
    string LotId,
    string RequestId,
    string CooperativeId,
    string BuyerId,
    string Product,
    decimal QuantityKg,
    long PriceVndPerKg,
    long TransportVndPerKg,
    string Status,
    DealReasonDto Reason,
    DateOnly HarvestOn,
    DateOnly DeliverOn,
    DateTimeOffset MadeAt,
    bool BuyerVerified,
    DateTimeOffset? ConfirmBy = null,
    decimal? DeliveredKg = null,
    string? SettlementReference = null,
    string? TraceCode = null,
    decimal ShortfallKg = 0);

/// <summary>Why the market gave this lot to this request: the keys it ranked the lots by, in the order it compared
/// them, and a sentence built from them. A deal made before reasons were kept as keys has only its English sentence,
/// and null keys.</summary>
/// <param name="Policy">The allocation policy the request was filled under: PriceTime, ProRata, Capped, ChainOnly or ChainFirst.</param>
/// <param name="LandedVndPerKg">Ask plus transport, in đồng per kilogram: what a kilogram costs delivered; lowest first.</param>
/// <param name="AskVndPerKg">The lot's farm-gate ask, in đồng per kilogram.</param>
/// <param name="TransportVndPerKg">The estimated transport cost, in đồng per kilogram.</param>
/// <param name="RoadKm">The road distance from pickup to delivery the transport was estimated over.</param>
/// <param name="ShelfLifeDaysAtDelivery">Days of shelf life left when the goods arrive; most first.</param>
/// <param name="ArrivalRank">The lot's place in the market's arrival order (lots and requests counted together, 1 the first); earliest first.</param>
/// <param name="ValueChainMember">Whether the lot's cooperative belongs to the request's value chain.</param>
/// <param name="Text">The reason as a sentence, in Vietnamese (the default) or English (<c>Accept-Language: en</c>).</param>
public sealed record DealReasonDto(
    string? Policy,
    long? LandedVndPerKg,
    long? AskVndPerKg,
    long? TransportVndPerKg,
    int? RoadKm,
    int? ShelfLifeDaysAtDelivery,
    long? ArrivalRank,
    bool? ValueChainMember,
    string Text);

/// <summary>What the buyer received.</summary>
/// <param name="DeliveredKg">Kilograms received, at most the kilograms shipped; what did not arrive goes back to the request,
/// which is sourced again at once from other lots.</param>
public sealed record RecordDelivery(decimal? DeliveredKg);

/// <summary>How the buyer paid.</summary>
/// <param name="Reference">The payment's reference (bank transfer, receipt number), 1 to 100 characters.</param>
public sealed record RecordSettlement(string? Reference);

/// <summary>One product's market at a glance; no participant is named.</summary>
/// <param name="Product">The product code.</param>
/// <param name="OpenSupply">Open lots by grade and price band.</param>
/// <param name="OpenDemand">Open requests by lowest grade and price band.</param>
/// <param name="RecentDeals">The latest deal prices.</param>
public sealed record MarketDto(
    string Product,
    IReadOnlyList<SupplyBandDto> OpenSupply,
    IReadOnlyList<DemandBandDto> OpenDemand,
    IReadOnlyList<TradeDto> RecentDeals);

/// <summary>Open lots of one grade whose asking price falls in one band.</summary>
/// <param name="Grade">The lots' grade.</param>
/// <param name="FromVndPerKg">The band's lowest price, in đồng per kilogram.</param>
/// <param name="ToVndPerKg">The band's highest price, in đồng per kilogram.</param>
/// <param name="Lots">How many lots.</param>
/// <param name="QuantityKg">Kilograms they still offer.</param>
public sealed record SupplyBandDto(string Grade, long FromVndPerKg, long ToVndPerKg, int Lots, decimal QuantityKg);

/// <summary>Open requests with one lowest grade whose highest price falls in one band.</summary>
/// <param name="MinGrade">The lowest grade the requests accept.</param>
/// <param name="FromVndPerKg">The band's lowest price, in đồng per kilogram.</param>
/// <param name="ToVndPerKg">The band's highest price, in đồng per kilogram.</param>
/// <param name="Requests">How many requests.</param>
/// <param name="QuantityKg">Kilograms they still want.</param>
public sealed record DemandBandDto(string MinGrade, long FromVndPerKg, long ToVndPerKg, int Requests, decimal QuantityKg);

/// <summary>One deal's price, without its parties.</summary>
/// <param name="PriceVndPerKg">The price, in đồng per kilogram.</param>
/// <param name="QuantityKg">Kilograms sold.</param>
/// <param name="At">When the deal was made.</param>
public sealed record TradeDto(long PriceVndPerKg, decimal QuantityKg, DateTimeOffset At);
