namespace CoopMarket.Grains.Market;

/// <summary>A named point on the map: a gazetteer commune or city, or coordinates a client gave.</summary>
[GenerateSerializer, Immutable]
public sealed record GeoPlace([property: Id(0)] string Name, [property: Id(1)] double Latitude, [property: Id(2)] double Longitude);
