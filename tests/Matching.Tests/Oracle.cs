using CoopMarket.Matching;

namespace CoopMarket.Matching.Tests;

/// <summary>The compatibility rules written the slow, obvious way — every harvest day against every delivery
/// day — to check the book's closed-form shortcuts against.</summary>
internal static class Oracle
{
    /// <summary>The ranking of a compatible pair (lower is better), or null when the pair may not match.</summary>
    public static (long Landed, int NegativeShelfLeft, long Sequence)? Rank(OpenLot open, PurchaseRequest request, int shelfLifeDays)
    {
        var lot = open.Lot;
        if (lot.Product != request.Product || lot.Grade < request.MinGrade)
        {
            return null;
        }

        if (request.Chain is { MembersOnly: true } chain && !lot.IsMemberOf(chain.ValueChainId))
        {
            return null;
        }

        var route = Route.Between(lot.Pickup, request.DeliverTo, MarketRules.Default);
        var landed = lot.AskVndPerKg + route.TransportVndPerKg;
        if (landed > request.MaxVndPerKg)
        {
            return null;
        }

        int? bestShelfLeft = null;
        for (var d = request.Delivery.From; d <= request.Delivery.To; d = d.AddDays(1))
        {
            if (!CertifiedOn(lot, request, d))
            {
                continue;
            }

            for (var h = lot.Harvest.From; h <= lot.Harvest.To; h = h.AddDays(1))
            {
                var transitOk = h.AddDays(route.TransitDays) <= d;
                var freshOk = d <= h.AddDays(shelfLifeDays);
                if (transitOk && freshOk)
                {
                    var left = h.AddDays(shelfLifeDays).DayNumber - d.DayNumber;
                    bestShelfLeft = Math.Max(bestShelfLeft ?? int.MinValue, left);
                }
            }
        }

        return bestShelfLeft is { } shelfLeft ? (landed, -shelfLeft, open.Sequence) : null;
    }

    private static bool CertifiedOn(SupplyLot lot, PurchaseRequest request, DateOnly day)
    {
        bool Valid(Certification c) => c.ValidUntil is not { } until || until >= day;

        foreach (var scheme in new[] { CertificationScheme.VietGAP, CertificationScheme.GlobalGAP, CertificationScheme.Organic })
        {
            if ((request.RequiredCertifications & scheme) != 0 && !lot.Certifications.Any(c => c.Scheme == scheme && Valid(c)))
            {
                return false;
            }
        }

        return request.MinOcopStars == 0
            || lot.Certifications.Any(c => c.Scheme == CertificationScheme.Ocop && c.Stars >= request.MinOcopStars && Valid(c));
    }
}
