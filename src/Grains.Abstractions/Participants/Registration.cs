namespace CoopMarket.Grains.Participants;

/// <summary>A cooperative (HTX) or cooperative group (THT) as registered.</summary>
[GenerateSerializer, Immutable]
public sealed record CooperativeProfile(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string Kind,
    [property: Id(3)] string Commune,
    [property: Id(4)] string District,
    [property: Id(5)] string Province,
    [property: Id(6)] int? Members,
    [property: Id(7)] IReadOnlyList<Market.CertificationInfo> Certifications,
    [property: Id(8)] Market.GeoPlace Location,
    [property: Id(9)] DateTimeOffset RegisteredAt);

/// <summary>A buyer as registered: a supermarket chain, a wholesaler, a processor, an exporter, a kitchen.</summary>
/// <param name="AllowanceScope">Whose allowance an unverified buyer's open kilograms count against: every buyer that
/// registered itself from one client address shares one, so throw-away accounts cannot multiply the cap. Null for a
/// buyer the district office registered.</param>
[GenerateSerializer, Immutable]
public sealed record BuyerProfile(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string Kind,
    [property: Id(3)] string Province,
    [property: Id(4)] Market.GeoPlace Location,
    [property: Id(5)] DateTimeOffset RegisteredAt,
    [property: Id(6)] bool Verified,
    [property: Id(7)] string? AllowanceScope = null);

/// <summary>What authenticates a participant: the hash of its API key (null once revoked) and, for a buyer,
/// whether the district office has verified it.</summary>
[GenerateSerializer, Immutable]
public sealed record Credential([property: Id(0)] string? KeyHash, [property: Id(1)] bool Verified);

/// <summary>A cooperative's place in a value chain.</summary>
[GenerateSerializer, Immutable]
public sealed record ChainMembership(
    [property: Id(0)] string ValueChainId,
    [property: Id(1)] IReadOnlyList<string> Products,
    [property: Id(2)] string Role);
