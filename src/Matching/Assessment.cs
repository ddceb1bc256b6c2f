namespace CoopMarket.Matching;

/// <summary>How well one lot suits one request; only made for a compatible pair.</summary>
internal readonly record struct Assessment(Route Route, long LandedVndPerKg, int ShelfDaysLeft, int HarvestOnDay, int DeliverOnDay)
{
    /// <summary>Checks every compatibility rule except product, price level and chain membership, which the caller
    /// already knows, and ranks the pair.</summary>
    /// <remarks>Freshness asks for a harvest day h in the harvest window and a delivery day d in the delivery window
    /// with h + transit ≤ d ≤ h + shelf life, before the certificates lapse. The earliest such d is best, since
    /// shelf life left on arrival only falls as d grows, and with it the latest h that still arrives in time.
    /// Nothing is delivered before <paramref name="todayDay"/> plus the transit: the market cannot deliver in the past.</remarks>
    public static Assessment? Of(LotEntry lot, RequestEntry request, Route route, int shelfLifeDays, int todayDay)
    {
        var wanted = request.Request;
        var landed = lot.Ask + route.TransportVndPerKg;
        if (landed > wanted.MaxVndPerKg || lot.Lot.Grade < wanted.MinGrade || route.TransitDays > shelfLifeDays)
        {
            return null;
        }

        var deliverOn = Math.Max(Math.Max(request.DeliverFrom, lot.HarvestFrom + route.TransitDays), todayDay + route.TransitDays);
        var latestDelivery = Math.Min(
            Math.Min(request.DeliverBy, lot.HarvestTo + shelfLifeDays),
            lot.CertifiedUntil(wanted.RequiredCertifications, wanted.MinOcopStars));
        if (deliverOn > latestDelivery)
        {
            return null;
        }

        var harvestOn = Math.Min(lot.HarvestTo, deliverOn - route.TransitDays);
        return new Assessment(route, landed, harvestOn + shelfLifeDays - deliverOn, harvestOn, deliverOn);
    }

    /// <summary>Ranking among lots of one tier: lowest landed cost, then most shelf life left, then earliest lot.</summary>
    public static int Compare(in Candidate a, in Candidate b)
    {
        var byLanded = a.Assessment.LandedVndPerKg.CompareTo(b.Assessment.LandedVndPerKg);
        if (byLanded != 0)
        {
            return byLanded;
        }

        var byShelf = b.Assessment.ShelfDaysLeft.CompareTo(a.Assessment.ShelfDaysLeft);
        return byShelf != 0 ? byShelf : a.Lot.Sequence.CompareTo(b.Lot.Sequence);
    }
}

/// <summary>A compatible lot for the request being planned.</summary>
internal readonly record struct Candidate(LotEntry Lot, Assessment Assessment, bool Member);
