using CoopMarket.Matching;

namespace CoopMarket.Grains.Market;

/// <summary>A lot as its cooperative posts it, already validated and with its pickup place resolved.</summary>
/// <remarks>Field 4 held the grade as its name until the records carried the core's enums; the grade took a new field
/// (12), so journal entries, snapshots and records written before still read, their grade parsed from that name.</remarks>
[GenerateSerializer, Immutable]
public sealed record LotTerms(
    [property: Id(0)] string Id,
    [property: Id(1)] string CooperativeId,
    [property: Id(2)] string Product,
    [property: Id(3)] long QuantityGrams,
    Grade Grade,
    [property: Id(5)] IReadOnlyList<CertificationInfo> Certifications,
    [property: Id(6)] DateOnly HarvestFrom,
    [property: Id(7)] DateOnly HarvestTo,
    [property: Id(8)] long AskVndPerKg,
    [property: Id(9)] long MinOrderGrams,
    [property: Id(10)] GeoPlace Pickup,
    [property: Id(11)] IReadOnlyList<string> ValueChains)
{
    [Id(12)] private readonly Grade? grade = Grade;

    public Grade Grade { get => grade ?? EarlierSpelling.Grade(GradeName); init => grade = value; }

    /// <summary>The grade's name, as records written before field 12 hold it; null on every record written since.</summary>
    [Id(4)] private string? GradeName { get; init; }
}
