using System.Text.Json;
using System.Text.Json.Serialization;

namespace CoopMarket.Gateway.Contracts;

/// <summary>A buyer registering. <c>location</c> is a gazetteer name or <c>{lat, lon}</c>; it defaults to the province.</summary>
/// <param name="Name">The buyer's trading name.</param>
/// <param name="Kind">What sort of buyer: <c>supermarket</c>, <c>wholesaler</c>, <c>processor</c>, <c>exporter</c>, …</param>
/// <param name="Province">The province it trades from.</param>
/// <param name="Location">Where deliveries go by default: a gazetteer name or <c>{lat, lon}</c>.</param>
public sealed record RegisterBuyer(string? Name, string? Kind, string? Province, JsonElement? Location = null);

/// <summary>A buyer; <c>verified</c> once the district office vouches for it, and <c>apiKey</c> only in the registration answer.</summary>
/// <param name="Id">The buyer's id (<c>buyer-…</c>).</param>
/// <param name="Name">The buyer's trading name.</param>
/// <param name="Kind">What sort of buyer it is.</param>
/// <param name="Province">The province it trades from.</param>
/// <param name="Location">Where deliveries go by default.</param>
/// <param name="Verified">Whether the district office vouches for it; an unverified buyer has limits on open requests.</param>
/// <param name="RegisteredAt">When it registered.</param>
/// <param name="ApiKey">Its API key, in the registration answer only: it is never shown again.</param>
public sealed record BuyerDto(
    string Id,
    string Name,
    string Kind,
    string Province,
    LocationDto Location,
    bool Verified,
    DateTimeOffset RegisteredAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ApiKey = null);

/// <summary>A purchase request. <c>deliveryLocation</c> is a gazetteer name or <c>{lat, lon}</c>; it defaults to the buyer's location.</summary>
/// <param name="Product">The product code (see <c>/api/products</c>).</param>
/// <param name="QuantityKg">How many kilograms the buyer wants.</param>
/// <param name="DeliverFrom">The first day a delivery may arrive.</param>
/// <param name="DeliverBy">The last day a delivery may arrive.</param>
/// <param name="MaxVndPerKg">The highest price, in đồng per kilogram, delivered (transport included).</param>
/// <param name="MinGrade">The lowest grade accepted: <c>A</c>, <c>B</c> or <c>C</c> (default <c>C</c>).</param>
/// <param name="RequiredCertifications">Schemes every lot must hold: <c>VietGAP</c>, <c>GlobalGAP</c> or <c>Organic</c>; OCOP is asked for by <c>minOcopStars</c>.</param>
/// <param name="MinOcopStars">The fewest OCOP stars accepted, 0 for any.</param>
/// <param name="DeliveryLocation">Where to deliver: a gazetteer name or <c>{lat, lon}</c>.</param>
/// <param name="AllowPartial">Whether several lots may fill it, and a part of it may fill (default true).</param>
/// <param name="ValueChainId">The value chain the request buys through, whose allocation policy then applies.</param>
public sealed record PlaceRequest(
    string? Product,
    decimal? QuantityKg,
    DateOnly? DeliverFrom,
    DateOnly? DeliverBy,
    decimal? MaxVndPerKg,
    string? MinGrade = null,
    IReadOnlyList<string>? RequiredCertifications = null,
    int? MinOcopStars = null,
    JsonElement? DeliveryLocation = null,
    bool? AllowPartial = null,
    string? ValueChainId = null);

/// <summary>The answer to a placed request: how much was filled at once and by which deals.</summary>
/// <param name="Id">The request's id (<c>request-…</c>).</param>
/// <param name="Status">Where it stands: <c>open</c>, <c>partial</c>, <c>filled</c>, <c>cancelled</c> or <c>expired</c></param>
/// <param name="FilledKg">Kilograms filled at once.</param>
/// <param name="RemainingKg">Kilograms still wanted; the request rests in the market for them.</param>
/// <param name="Deals">The deals made at once.</param>
public sealed record RequestPlaced(string Id, string Status, decimal FilledKg, decimal RemainingKg, IReadOnlyList<DealDto> Deals);

/// <summary>A purchase request as it stands.</summary>
/// <param name="Id">The request's id.</param>
/// <param name="BuyerId">The buyer who placed it.</param>
/// <param name="Product">The product code.</param>
/// <param name="QuantityKg">Kilograms asked for.</param>
/// <param name="FilledKg">Kilograms filled so far.</param>
/// <param name="RemainingKg">Kilograms still wanted.</param>
/// <param name="Status">Where it stands.</param>
/// <param name="MinGrade">The lowest grade accepted.</param>
/// <param name="RequiredCertifications">Schemes every lot must hold.</param>
/// <param name="MinOcopStars">The fewest OCOP stars accepted.</param>
/// <param name="DeliverFrom">The first day a delivery may arrive.</param>
/// <param name="DeliverBy">The last day a delivery may arrive.</param>
/// <param name="MaxVndPerKg">The highest delivered price, in đồng per kilogram.</param>
/// <param name="DeliveryLocation">Where deliveries go.</param>
/// <param name="AllowPartial">Whether it may fill in parts.</param>
/// <param name="ValueChainId">The value chain it buys through, if any.</param>
/// <param name="DealCount">How many deals it made.</param>
public sealed record RequestDto(
    string Id,
    string BuyerId,
    string Product,
    decimal QuantityKg,
    decimal FilledKg,
    decimal RemainingKg,
    string Status,
    string MinGrade,
    IReadOnlyList<string> RequiredCertifications,
    int MinOcopStars,
    DateOnly DeliverFrom,
    DateOnly DeliverBy,
    long MaxVndPerKg,
    LocationDto DeliveryLocation,
    bool AllowPartial,
    string? ValueChainId,
    long DealCount);
