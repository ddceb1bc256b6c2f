namespace CoopMarket.Matching;

/// <summary>What carrying a harvest from a pickup to a delivery place costs in money and days.</summary>
public readonly record struct Route(int RoadKm, long TransportVndPerKg, int TransitDays)
{
    public static Route Between(Place pickup, Place delivery, MarketRules rules)
    {
        if (pickup == delivery)
        {
            return default;
        }

        var roadKm = (int)Math.Round(pickup.GreatCircleKmTo(delivery) * rules.RoadFactor, MidpointRounding.AwayFromZero);
        var transport = (long)decimal.Ceiling(roadKm * rules.TransportVndPerKgKm);
        var transit = Math.Max(rules.MinTransitDaysBetweenPlaces, (roadKm + rules.RoadKmPerDay - 1) / rules.RoadKmPerDay);
        return new Route(roadKm, transport, transit);
    }
}
