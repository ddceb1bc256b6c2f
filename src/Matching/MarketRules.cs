namespace CoopMarket.Matching;

/// <summary>The configurable constants of transport and transit.</summary>
/// <param name="TransportVndPerKgKm">What moving one kilogram one road-kilometre costs.</param>
/// <param name="RoadFactor">Road distance over great-circle distance; hill roads wind.</param>
/// <param name="RoadKmPerDay">How far a truck gets in a day of transit.</param>
/// <param name="MinTransitDaysBetweenPlaces">Days of transit between two different communes, however close.</param>
public sealed record MarketRules(
    decimal TransportVndPerKgKm = 3,
    double RoadFactor = 1.3,
    int RoadKmPerDay = 400,
    int MinTransitDaysBetweenPlaces = 1)
{
    public static MarketRules Default { get; } = new();
}
