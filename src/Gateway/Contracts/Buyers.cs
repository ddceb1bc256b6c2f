using System.Text.Json;
using System.Text.Json.Serialization;

namespace CoopMarket.Gateway.Contracts;

/// <summary>A buyer registering. <c>location</c> is a gazetteer name or <c>{lat, lon}</c>; it defaults to the province.</summary>
public sealed record RegisterBuyer(string? Name, string? Kind, string? Province, JsonElement? Location = null);

/// <summary>A buyer; <c>verified</c> once the district office vouches for it, and <c>apiKey</c> only in the registration answer.</summary>
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
public sealed record RequestPlaced(string Id, string Status, decimal FilledKg, decimal RemainingKg, IReadOnlyList<DealDto> Deals);

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
