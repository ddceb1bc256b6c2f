using System.Globalization;
using CoopMarket.Gateway.Contracts;
using CoopMarket.Gateway.Localization;
using CoopMarket.Gateway.Validation;
using CoopMarket.Grains.Market;
using CoopMarket.Grains.Participants;
using CoopMarket.Matching;

namespace CoopMarket.Gateway.Apis;

/// <summary>Grain records to the HTTP contract: kilograms instead of grams, camelCase names.</summary>
internal static class Dtos
{
    public static decimal Kg(long grams) => Grams.ToKg(grams);

    public static LocationDto ToDto(this GeoPlace place) => new(place.Name, place.Latitude, place.Longitude);

    public static CertificationDto ToDto(this CertificationInfo c) => new(Vocabulary.Name(c.Scheme), c.Stars, c.ValidUntil);

    public static CooperativeDto ToDto(this CooperativeProfile p, IReadOnlyList<ChainMembership> chains) =>
        new(p.Id, p.Name, p.Kind, p.Commune, p.District, p.Province, p.Members, [.. p.Certifications.Select(ToDto)],
            p.Location.ToDto(), [.. chains.Select(c => c.ValueChainId)], p.RegisteredAt);

    public static BuyerDto ToDto(this BuyerProfile p) => new(p.Id, p.Name, p.Kind, p.Province, p.Location.ToDto(), p.Verified, p.RegisteredAt);

    /// <summary>The deal, its reason's sentence in the request's UI culture (see <see cref="ReasonLanguage"/>).</summary>
    public static DealDto ToDto(this Deal d) => new(d.Id, d.LotId, d.RequestId, d.CooperativeId, d.BuyerId, d.Product,
        Kg(d.QuantityGrams), d.PriceVndPerKg, d.TransportVndPerKg, d.Status, ReasonOf(d, CultureInfo.CurrentUICulture),
        d.HarvestOn, d.DeliverOn, d.MadeAt, d.BuyerVerified,
        d.ConfirmBy, d.DeliveredGrams is { } delivered ? Kg(delivered) : null, d.SettlementReference, d.TraceCode, Kg(d.ShortGrams));

    public static DealReasonDto ReasonOf(Deal d, CultureInfo language) => d.Reason is { } r
        ? new(Vocabulary.Name(r.Policy), r.LandedVndPerKg, r.AskVndPerKg, r.TransportVndPerKg, r.RoadKm, r.ShelfLifeDaysAtDelivery, r.ArrivalRank,
            r.ValueChainMember, ReasonSentence.Render(r, language))
        : new(null, null, null, null, null, null, null, null, d.ReasonText ?? "");

    public static LotDto ToDto(this LotView v)
    {
        var t = v.Terms;
        return new LotDto(t.Id, t.CooperativeId, t.Product, Kg(t.QuantityGrams), Kg(v.RemainingGrams), v.Status, Vocabulary.Name(t.Grade),
            [.. t.Certifications.Select(ToDto)], t.HarvestFrom, t.HarvestTo, t.AskVndPerKg, Kg(t.MinOrderGrams), t.Pickup.ToDto(),
            t.ValueChains, v.DealCount, Kg(v.ReturnedGrams), Kg(v.ShortfallGrams), Kg(v.UndeliveredGrams), Kg(v.QuantityGrams));
    }

    public static RequestDto ToDto(this RequestView v)
    {
        var t = v.Terms;
        return new RequestDto(t.Id, t.BuyerId, t.Product, Kg(t.QuantityGrams), Kg(v.FilledGrams), Kg(v.RemainingGrams), v.Status,
            Vocabulary.Name(t.MinGrade), [.. t.RequiredCertifications.Select(Vocabulary.Name)], t.MinOcopStars, t.DeliverFrom, t.DeliverBy, t.MaxVndPerKg, t.DeliverTo.ToDto(),
            t.AllowPartial, t.ValueChainId, v.DealCount);
    }

    public static ValueChainDto ToDto(this ValueChain c) =>
        new(c.Id, c.Name, c.Products, Vocabulary.Name(c.Policy), c.CapShare, [.. c.Members.Select(m => new ChainMemberDto(m.CooperativeId, m.Role))]);

    public static MarketDto ToDto(this MarketSummary s) => new(s.Product,
        [.. s.OpenSupply.Select(b => new SupplyBandDto(b.Grade, b.FromVndPerKg, b.ToVndPerKg, b.Lots, Kg(b.Grams)))],
        [.. s.OpenDemand.Select(b => new DemandBandDto(b.MinGrade, b.FromVndPerKg, b.ToVndPerKg, b.Requests, Kg(b.Grams)))],
        [.. s.RecentDeals.Select(p => new TradeDto(p.PriceVndPerKg, Kg(p.Grams), p.At))]);
}
