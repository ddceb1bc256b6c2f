using CoopMarket.Matching;

namespace CoopMarket.Grains.Market;

/// <summary>A purchase request as its buyer places it, validated, with its delivery place and chain terms resolved.</summary>
/// <param name="AllowanceScope">The allowance of an unverified buyer that this request draws on; null for a verified buyer.</param>
/// <param name="ChainPolicy">The allocation policy of <paramref name="ValueChainId"/>, copied when the request is placed.</param>
/// <remarks>Fields 4, 5 and 13 held the minimum grade, the required schemes and the chain's policy as their names until
/// the records carried the core's enums; those took new fields (16, 17, 18), so journal entries, snapshots and records
/// written before still read, their values parsed from those names.</remarks>
[GenerateSerializer, Immutable]
public sealed record RequestTerms(
    [property: Id(0)] string Id,
    [property: Id(1)] string BuyerId,
    [property: Id(2)] string Product,
    [property: Id(3)] long QuantityGrams,
    Grade MinGrade,
    IReadOnlyList<CertificationScheme> RequiredCertifications,
    [property: Id(6)] int MinOcopStars,
    [property: Id(7)] DateOnly DeliverFrom,
    [property: Id(8)] DateOnly DeliverBy,
    [property: Id(9)] long MaxVndPerKg,
    [property: Id(10)] GeoPlace DeliverTo,
    [property: Id(11)] bool AllowPartial,
    [property: Id(12)] string? ValueChainId,
    AllocationPolicy? ChainPolicy,
    [property: Id(14)] decimal? ChainCapShare,
    [property: Id(15)] string? AllowanceScope = null)
{
    [Id(16)] private readonly Grade? minGrade = MinGrade;
    [Id(17)] private readonly IReadOnlyList<CertificationScheme>? requiredCertifications = RequiredCertifications;
    [Id(18)] private readonly AllocationPolicy? chainPolicy = ChainPolicy;

    public Grade MinGrade { get => minGrade ?? EarlierSpelling.Grade(MinGradeName); init => minGrade = value; }

    /// <summary>The schemes the buyer requires, in the order it named them.</summary>
    public IReadOnlyList<CertificationScheme> RequiredCertifications
    {
        get => requiredCertifications ?? [.. (RequiredCertificationNames ?? []).Select(EarlierSpelling.Scheme)];
        init => requiredCertifications = value;
    }

    public AllocationPolicy? ChainPolicy
    {
        // Field 18 is null on a new request outside any chain too; only an earlier request has a name to fall back on.
        get => chainPolicy ?? (ChainPolicyName is { } name ? EarlierSpelling.Policy(name) : null);
        init => chainPolicy = value;
    }

    /// <summary>The minimum grade's name, as requests written before field 16 hold it; null on every one written since.</summary>
    [Id(4)] private string? MinGradeName { get; init; }

    /// <summary>The required schemes' names, as requests written before field 17 hold them; null on every one written since.</summary>
    [Id(5)] private IReadOnlyList<string>? RequiredCertificationNames { get; init; }

    /// <summary>The chain policy's name, as requests in a chain written before field 18 hold it; null on every one written since.</summary>
    [Id(13)] private string? ChainPolicyName { get; init; }
}
