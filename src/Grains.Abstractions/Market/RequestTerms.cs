namespace CoopMarket.Grains.Market;

/// <summary>A purchase request as its buyer places it, validated, with its delivery place and chain terms resolved.</summary>
/// <param name="AllowanceScope">The allowance of an unverified buyer that this request draws on; null for a verified buyer.</param>
/// <param name="ChainPolicy">The allocation policy of <paramref name="ValueChainId"/>, copied when the request is placed.</param>
[GenerateSerializer, Immutable]
public sealed record RequestTerms(
    [property: Id(0)] string Id,
    [property: Id(1)] string BuyerId,
    [property: Id(2)] string Product,
    [property: Id(3)] long QuantityGrams,
    [property: Id(4)] string MinGrade,
    [property: Id(5)] IReadOnlyList<string> RequiredCertifications,
    [property: Id(6)] int MinOcopStars,
    [property: Id(7)] DateOnly DeliverFrom,
    [property: Id(8)] DateOnly DeliverBy,
    [property: Id(9)] long MaxVndPerKg,
    [property: Id(10)] GeoPlace DeliverTo,
    [property: Id(11)] bool AllowPartial,
    [property: Id(12)] string? ValueChainId,
    [property: Id(13)] string? ChainPolicy,
    [property: Id(14)] decimal? ChainCapShare,
    [property: Id(15)] string? AllowanceScope = null);
