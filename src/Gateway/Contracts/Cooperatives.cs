using System.Text.Json;
using System.Text.Json.Serialization;

namespace CoopMarket.Gateway.Contracts;

/// <summary>A certificate in a request body: <c>VietGAP</c>, <c>GlobalGAP</c>, <c>Organic</c>, or <c>OCOP</c> with 1–5 stars.</summary>
public sealed record CertificationDto(string? Scheme, int? Stars = null, DateOnly? ValidUntil = null);

/// <summary>A point given as coordinates instead of a gazetteer name.</summary>
public sealed record LocationDto(string Name, double Lat, double Lon);

public sealed record RegisterCooperative(
    string? Name,
    string? Kind,
    string? Commune,
    string? District,
    string? Province,
    int? Members = null,
    IReadOnlyList<CertificationDto>? Certifications = null);

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
public sealed record ApiKeyIssued(string ParticipantId, string ApiKey);

/// <summary>A lot a cooperative posts. <c>pickupCommune</c> is a gazetteer name or <c>{lat, lon}</c>; it defaults to the cooperative's commune.</summary>
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
public sealed record LotPosted(string Id, string Status, decimal RemainingKg, decimal SoldKg, IReadOnlyList<DealDto> Deals);

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
    long DealCount);
