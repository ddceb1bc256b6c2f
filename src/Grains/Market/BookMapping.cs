using CoopMarket.Matching;

namespace CoopMarket.Grains.Market;

/// <summary>Turns the wire records into the matching engine's own and its answers back, so the engine knows nothing of Orleans.</summary>
internal static class BookMapping
{
    public static SupplyLot ToSupplyLot(this LotTerms terms) => new(
        terms.Id,
        terms.CooperativeId,
        terms.Product,
        terms.QuantityGrams,
        terms.Grade,
        [.. terms.Certifications.Select(c => new Certification(c.Scheme, c.Stars ?? 0, c.ValidUntil))],
        new DateWindow(terms.HarvestFrom, terms.HarvestTo),
        terms.AskVndPerKg,
        terms.MinOrderGrams,
        terms.Pickup.ToPlace(),
        terms.ValueChains.ToHashSet(StringComparer.Ordinal));

    public static PurchaseRequest ToPurchaseRequest(this RequestTerms terms) => new(
        terms.Id,
        terms.BuyerId,
        terms.Product,
        terms.QuantityGrams,
        terms.MinGrade,
        terms.RequiredCertifications.Aggregate(CertificationScheme.None, (all, scheme) => all | scheme),
        terms.MinOcopStars,
        new DateWindow(terms.DeliverFrom, terms.DeliverBy),
        terms.MaxVndPerKg,
        terms.DeliverTo.ToPlace(),
        terms.AllowPartial,
        terms.ValueChainId is { } chain
            ? new ChainTerms(chain, terms.ChainPolicy ?? AllocationPolicy.PriceTime, terms.ChainCapShare ?? 1m)
            : null);

    public static DealReason ToDealReason(this MatchReason reason) => new(reason.Policy, reason.LandedVndPerKg,
        reason.AskVndPerKg, reason.TransportVndPerKg, reason.RoadKm, reason.ShelfDaysLeftAtDelivery, reason.LotSequence, reason.ChainMember);

    public static Place ToPlace(this GeoPlace place) => new(place.Name, place.Latitude, place.Longitude);
}
