using CoopMarket.Matching;

namespace CoopMarket.Grains.Market;

/// <summary>A certificate a cooperative or a lot holds: <c>VietGAP</c>, <c>GlobalGAP</c>, <c>Organic</c>, or <c>OCOP</c> with stars.</summary>
/// <remarks>Field 0 held the scheme as its name until the records carried the core's enums; the scheme took a new field
/// (3), so certificates written before still read, their scheme parsed from that name.</remarks>
[GenerateSerializer, Immutable]
public sealed record CertificationInfo(
    CertificationScheme Scheme,
    [property: Id(1)] int? Stars = null,
    [property: Id(2)] DateOnly? ValidUntil = null)
{
    [Id(3)] private readonly CertificationScheme? scheme = Scheme;

    public CertificationScheme Scheme { get => scheme ?? EarlierSpelling.Scheme(SchemeName); init => scheme = value; }

    /// <summary>The scheme's name, as certificates written before field 3 hold it; null on every one written since.</summary>
    [Id(0)] private string? SchemeName { get; init; }
}
