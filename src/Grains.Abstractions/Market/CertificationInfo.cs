namespace CoopMarket.Grains.Market;

/// <summary>A certificate a cooperative or a lot holds: <c>VietGAP</c>, <c>GlobalGAP</c>, <c>Organic</c>, or <c>OCOP</c> with stars.</summary>
[GenerateSerializer, Immutable]
public sealed record CertificationInfo(
    [property: Id(0)] string Scheme,
    [property: Id(1)] int? Stars = null,
    [property: Id(2)] DateOnly? ValidUntil = null);
