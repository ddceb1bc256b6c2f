namespace CoopMarket.Matching;

/// <summary>A harvest a cooperative offers: what, how much, how good, when, where and at what price.</summary>
/// <param name="MinOrderGrams">No deal from this lot may be smaller, except one that takes all that is left; 0 for none.</param>
/// <param name="ValueChains">Ids of the value chains whose member offers this lot.</param>
public sealed record SupplyLot(
    string Id,
    string CooperativeId,
    string Product,
    long QuantityGrams,
    Grade Grade,
    IReadOnlyList<Certification> Certifications,
    DateWindow Harvest,
    long AskVndPerKg,
    long MinOrderGrams,
    Place Pickup,
    IReadOnlySet<string> ValueChains)
{
    /// <summary>The certificate of <paramref name="scheme"/> this lot holds, if any (for OCOP, the highest rating).</summary>
    public Certification? Find(CertificationScheme scheme) =>
        Certifications.Where(c => c.Scheme == scheme).MaxBy(c => c.Stars);

    public bool IsMemberOf(string valueChainId) => ValueChains.Contains(valueChainId);
}
