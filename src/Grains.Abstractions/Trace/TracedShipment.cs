using CoopMarket.Grains.Market;

namespace CoopMarket.Grains.Trace;

/// <summary>Where the goods shipped under a traceability code came from, as anyone holding the code may read it: the
/// product, the cooperative and its commune, the harvest window and certifications of the lot, and the kilograms shipped
/// and delivered. It names no buyer and no price, by construction: it has no field for them.</summary>
/// <param name="Certifications">The lot's certificates, as the cooperative declared them when posting it.</param>
/// <param name="ShippedAt">When the cooperative recorded the dispatch; null while the deal's record does not say.</param>
/// <param name="DeliveredGrams">What the buyer recorded as received; null until then.</param>
/// <param name="DeliveredAt">When the buyer recorded it; null until then.</param>
[GenerateSerializer, Immutable]
public sealed record TracedShipment(
    [property: Id(0)] string Code,
    [property: Id(1)] string Product,
    [property: Id(2)] string ProductNameVi,
    [property: Id(3)] string ProductNameEn,
    [property: Id(4)] string CooperativeId,
    [property: Id(5)] string CooperativeName,
    [property: Id(6)] string Commune,
    [property: Id(7)] string District,
    [property: Id(8)] string Province,
    [property: Id(9)] DateOnly HarvestFrom,
    [property: Id(10)] DateOnly HarvestTo,
    [property: Id(11)] IReadOnlyList<CertificationInfo> Certifications,
    [property: Id(12)] long ShippedGrams,
    [property: Id(13)] DateTimeOffset? ShippedAt,
    [property: Id(14)] long? DeliveredGrams,
    [property: Id(15)] DateTimeOffset? DeliveredAt);
