namespace CoopMarket.Grains.Market;

/// <summary>A lot as its cooperative posts it, already validated and with its pickup place resolved.</summary>
[GenerateSerializer, Immutable]
public sealed record LotTerms(
    [property: Id(0)] string Id,
    [property: Id(1)] string CooperativeId,
    [property: Id(2)] string Product,
    [property: Id(3)] long QuantityGrams,
    [property: Id(4)] string Grade,
    [property: Id(5)] IReadOnlyList<CertificationInfo> Certifications,
    [property: Id(6)] DateOnly HarvestFrom,
    [property: Id(7)] DateOnly HarvestTo,
    [property: Id(8)] long AskVndPerKg,
    [property: Id(9)] long MinOrderGrams,
    [property: Id(10)] GeoPlace Pickup,
    [property: Id(11)] IReadOnlyList<string> ValueChains);
