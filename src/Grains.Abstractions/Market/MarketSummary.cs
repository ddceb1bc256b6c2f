namespace CoopMarket.Grains.Market;

/// <summary>A product's market at a glance, without naming any participant.</summary>
[GenerateSerializer, Immutable]
public sealed record MarketSummary(
    [property: Id(0)] string Product,
    [property: Id(1)] IReadOnlyList<SupplyBand> OpenSupply,
    [property: Id(2)] IReadOnlyList<DemandBand> OpenDemand,
    [property: Id(3)] IReadOnlyList<TradePrint> RecentDeals);

/// <summary>Open lots of one grade whose ask falls in [<paramref name="FromVndPerKg"/>, <paramref name="ToVndPerKg"/>).</summary>
[GenerateSerializer, Immutable]
public sealed record SupplyBand(
    [property: Id(0)] string Grade,
    [property: Id(1)] long FromVndPerKg,
    [property: Id(2)] long ToVndPerKg,
    [property: Id(3)] int Lots,
    [property: Id(4)] long Grams);

/// <summary>Open requests for a minimum grade whose price limit falls in the band.</summary>
[GenerateSerializer, Immutable]
public sealed record DemandBand(
    [property: Id(0)] string MinGrade,
    [property: Id(1)] long FromVndPerKg,
    [property: Id(2)] long ToVndPerKg,
    [property: Id(3)] int Requests,
    [property: Id(4)] long Grams);

/// <summary>A recent deal's price and size, anonymous.</summary>
[GenerateSerializer, Immutable]
public sealed record TradePrint(
    [property: Id(0)] long PriceVndPerKg,
    [property: Id(1)] long Grams,
    [property: Id(2)] DateTimeOffset At);
