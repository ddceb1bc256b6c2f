namespace CoopMarket.Matching;

/// <summary>A named point: a commune where a harvest is picked up or a city it is delivered to.</summary>
/// <remarks>Two places are the same commune only when both name and point agree, which decides whether a
/// delivery needs a day of transit at all.</remarks>
public sealed record Place(string Name, double Latitude, double Longitude)
{
    private const double EarthRadiusKm = 6371.0088;

    /// <summary>Great-circle distance in kilometres (haversine).</summary>
    public double GreatCircleKmTo(Place other)
    {
        var dLat = ToRadians(other.Latitude - Latitude);
        var dLon = ToRadians(other.Longitude - Longitude);
        var a = Math.Pow(Math.Sin(dLat / 2), 2)
            + Math.Cos(ToRadians(Latitude)) * Math.Cos(ToRadians(other.Latitude)) * Math.Pow(Math.Sin(dLon / 2), 2);
        return 2 * EarthRadiusKm * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }

    private static double ToRadians(double degrees) => degrees * Math.PI / 180;
}
