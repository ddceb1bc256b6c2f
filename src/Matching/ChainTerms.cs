namespace CoopMarket.Matching;

/// <summary>The value chain a request goes through and the policy that chain chose.</summary>
/// <param name="CapShare">For <see cref="AllocationPolicy.Capped"/>: the largest share of one request a single cooperative may take, in (0, 1].</param>
public sealed record ChainTerms(string ValueChainId, AllocationPolicy Policy, decimal CapShare = 1m)
{
    /// <summary>The most one cooperative may take of a request of <paramref name="requestGrams"/>.</summary>
    public long CapGrams(long requestGrams) => Policy == AllocationPolicy.Capped
        ? decimal.ToInt64(decimal.Floor(requestGrams * CapShare))
        : requestGrams;

    /// <summary>Whether only chain members may fill the request.</summary>
    public bool MembersOnly => Policy is AllocationPolicy.ChainOnly or AllocationPolicy.ProRata;
}
