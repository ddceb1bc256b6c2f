using System.Text.Json;
using System.Text.Json.Serialization;

namespace CoopMarket.Gateway.Contracts;

/// <summary>A certificate in a request body: <c>VietGAP</c>, <c>GlobalGAP</c>, <c>Organic</c>, or <c>OCOP</c> with 1–5 stars.</summary>
/// <param name="Scheme">The certification scheme.</param>
/// <param name="Stars">OCOP stars, 1–5; only for <c>OCOP</c>.</param>
/// <param name="ValidUntil">The last day the certificate is valid; a lot needs it valid through its harvest.</param>
public sealed record CertificationDto(string? Scheme, int? Stars = null, DateOnly? ValidUntil = null);

/// <summary>A place: a gazetteer name with its coordinates.</summary>
/// <param name="Name">The gazetteer name, or the coordinates written out when given as <c>{lat, lon}</c>.</param>
/// <param name="Lat">Latitude, degrees north.</param>
/// <param name="Lon">Longitude, degrees east.</param>
public sealed record LocationDto(string Name, double Lat, double Lon);

/// <summary>A cooperative (HTX) or cooperative group (THT) registered by the district office.</summary>
/// <param name="Name">Its registered name.</param>
/// <param name="Kind"><c>HTX</c> (cooperative) or <c>THT</c> (cooperative group).</param>
/// <param name="Commune">The commune it farms in.</param>
/// <param name="District">Its district.</param>
/// <param name="Province">Its province.</param>
/// <param name="Members">Member households.</param>
/// <param name="Certifications">Certificates the cooperative holds.</param>
public sealed record RegisterCooperative(
    string? Name,
    string? Kind,
    string? Commune,
    string? District,
    string? Province,
    int? Members = null,
    IReadOnlyList<CertificationDto>? Certifications = null);

/// <summary>A cooperative; <c>apiKey</c> only in the registration answer.</summary>
/// <param name="Id">The cooperative's id (<c>coop-…</c>).</param>
/// <param name="Name">Its registered name.</param>
/// <param name="Kind"><c>HTX</c> or <c>THT</c>.</param>
/// <param name="Commune">The commune it farms in.</param>
/// <param name="District">Its district.</param>
/// <param name="Province">Its province.</param>
/// <param name="Members">Member households.</param>
/// <param name="Certifications">Certificates it holds.</param>
/// <param name="Location">Where its commune is.</param>
/// <param name="ValueChains">The value chains it belongs to.</param>
/// <param name="RegisteredAt">When it was registered.</param>
/// <param name="ApiKey">Its API key, in the registration answer only: it is never shown again.</param>
public sealed record CooperativeDto(
    string Id,
    string Name,
    string Kind,
    string Commune,
    string District,
    string Province,
    int? Members,
    IReadOnlyList<CertificationDto> Certifications,
    LocationDto Location,
    IReadOnlyList<string> ValueChains,
    DateTimeOffset RegisteredAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ApiKey = null);

/// <summary>A new API key: shown once, never stored in clear.</summary>
/// <param name="ParticipantId">The cooperative or buyer the key speaks for.</param>
/// <param name="ApiKey">The key, for <c>Authorization: Bearer</c>.</param>
public sealed record ApiKeyIssued(string ParticipantId, string ApiKey);

/// <summary>A lot a cooperative posts. <c>pickupCommune</c> is a gazetteer name or <c>{lat, lon}</c>; it defaults to the cooperative's commune.</summary>
/// <param name="Product">The product code (see <c>/api/products</c>).</param>
/// <param name="QuantityKg">Kilograms on offer.</param>
/// <param name="Grade">The lot's grade: <c>A</c>, <c>B</c> or <c>C</c>.</param>
/// <param name="Certifications">Certificates the lot is grown under.</param>
/// <param name="HarvestFrom">The first day of the harvest.</param>
/// <param name="HarvestTo">The last day of the harvest.</param>
/// <param name="AskVndPerKg">The asking price at the farm gate, in đồng per kilogram.</param>
/// <param name="MinOrderKg">The smallest part of the lot a deal may take.</param>
/// <param name="PickupCommune">Where buyers collect: a gazetteer name or <c>{lat, lon}</c>.</param>
public sealed record PostLot(
    string? Product,
    decimal? QuantityKg,
    string? Grade,
    IReadOnlyList<CertificationDto>? Certifications,
    DateOnly? HarvestFrom,
    DateOnly? HarvestTo,
    decimal? AskVndPerKg,
    decimal? MinOrderKg = null,
    JsonElement? PickupCommune = null);

/// <summary>The answer to a posted lot: where it stands and the deals it made at once.</summary>
/// <param name="Id">The lot's id (<c>lot-…</c>).</param>
/// <param name="Status">Where it stands: <c>open</c>, <c>sold</c>, <c>withdrawn</c> or <c>expired</c>.</param>
/// <param name="RemainingKg">Kilograms still on offer; the lot rests in the market for them.</param>
/// <param name="SoldKg">Kilograms sold at once.</param>
/// <param name="Deals">The deals made at once.</param>
public sealed record LotPosted(string Id, string Status, decimal RemainingKg, decimal SoldKg, IReadOnlyList<DealDto> Deals);

/// <summary>A supply lot as it stands.</summary>
/// <param name="Id">The lot's id.</param>
/// <param name="CooperativeId">The cooperative that posted it.</param>
/// <param name="Product">The product code.</param>
/// <param name="QuantityKg">Kilograms posted.</param>
/// <param name="RemainingKg">Kilograms still on offer.</param>
/// <param name="Status">Where it stands.</param>
/// <param name="Grade">The lot's grade.</param>
/// <param name="Certifications">Certificates it is grown under.</param>
/// <param name="HarvestFrom">The first day of the harvest.</param>
/// <param name="HarvestTo">The last day of the harvest.</param>
/// <param name="AskVndPerKg">The asking price, in đồng per kilogram.</param>
/// <param name="MinOrderKg">The smallest part a deal may take.</param>
/// <param name="Pickup">Where buyers collect.</param>
/// <param name="ValueChains">The value chains the lot belongs to.</param>
/// <param name="DealCount">How many deals it made.</param>
/// <param name="ReturnedKg">Kilograms given back to the cooperative unsold: a withdrawn or expired rest, and kilograms of
/// deals that ended after the lot closed.</param>
/// <param name="ShortfallKg">Kilograms the cooperative reported it no longer has (<c>POST /api/lots/{id}/shortfall</c>).</param>
/// <param name="UndeliveredKg">Kilograms shipped from the lot that its buyers did not receive.</param>
/// <param name="CurrentQuantityKg">What the lot holds now: quantity less shortfall. Quantity = kilograms its standing deals
/// brought (as delivered, or as they stand before delivery) + remaining + returned + shortfall + undelivered.</param>
public sealed record LotDto(
    string Id,
    string CooperativeId,
    string Product,
    decimal QuantityKg,
    decimal RemainingKg,
    string Status,
    string Grade,
    IReadOnlyList<CertificationDto> Certifications,
    DateOnly HarvestFrom,
    DateOnly HarvestTo,
    long AskVndPerKg,
    decimal MinOrderKg,
    LocationDto Pickup,
    IReadOnlyList<string> ValueChains,
    long DealCount,
    decimal ReturnedKg = 0,
    decimal ShortfallKg = 0,
    decimal UndeliveredKg = 0,
    decimal CurrentQuantityKg = 0);

/// <summary>A cooperative's report that a lot holds less than it posted.</summary>
/// <param name="NewQuantityKg">What the lot holds now, in kilograms: at least 0 and less than it holds; deals that have not
/// shipped shrink, newest first, when it falls below what they hold, but never below what has shipped.</param>
public sealed record ReportShortfall(decimal? NewQuantityKg);
