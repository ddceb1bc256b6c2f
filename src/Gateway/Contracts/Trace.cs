namespace CoopMarket.Gateway.Contracts;

/// <summary>Where the goods shipped under a traceability code came from, for anyone holding the code: a shopper who
/// scanned the label, a market inspector. It names no buyer and no price.</summary>
/// <param name="Code">The traceability code.</param>
/// <param name="Product">The product.</param>
/// <param name="Cooperative">The cooperative that grew and shipped the goods.</param>
/// <param name="Commune">The cooperative's commune.</param>
/// <param name="District">The cooperative's district.</param>
/// <param name="Province">The cooperative's province.</param>
/// <param name="HarvestWindow">The days the lot was to be harvested, as the cooperative posted it.</param>
/// <param name="Certifications">The lot's certificates, as the cooperative declared them.</param>
/// <param name="ShippedKg">Kilograms shipped under this code.</param>
/// <param name="ShippedAt">When the cooperative recorded the dispatch; null when not recorded.</param>
/// <param name="DeliveredKg">Kilograms the buyer recorded as received; null until delivery.</param>
/// <param name="DeliveredAt">When the buyer recorded the delivery; null until then.</param>
public sealed record TraceDto(
    string Code,
    TracedProductDto Product,
    TracedCooperativeDto Cooperative,
    string Commune,
    string District,
    string Province,
    HarvestWindowDto HarvestWindow,
    IReadOnlyList<CertificationDto> Certifications,
    decimal ShippedKg,
    DateTimeOffset? ShippedAt,
    decimal? DeliveredKg,
    DateTimeOffset? DeliveredAt);

/// <summary>A product of the catalog, by code and name.</summary>
/// <param name="Code">The product code.</param>
/// <param name="NameVi">Its Vietnamese name.</param>
/// <param name="NameEn">Its English name.</param>
public sealed record TracedProductDto(string Code, string NameVi, string NameEn);

/// <summary>A cooperative, by id and name.</summary>
/// <param name="Id">The cooperative's id.</param>
/// <param name="Name">Its registered name.</param>
public sealed record TracedCooperativeDto(string Id, string Name);

/// <summary>A harvest window, both days included.</summary>
/// <param name="From">The first harvest day.</param>
/// <param name="To">The last harvest day.</param>
public sealed record HarvestWindowDto(DateOnly From, DateOnly To);
