namespace CoopMarket.Matching;

/// <summary>How a value chain spreads a request over the lots that can fill it.</summary>
public enum AllocationPolicy
{
    /// <summary>Any compatible lot, best landed cost first, then freshest, then earliest.</summary>
    PriceTime,

    /// <summary>Chain members only, each in proportion to what it has available, so small members get their share.</summary>
    ProRata,

    /// <summary>Members first, then others, but no cooperative takes more than <see cref="ChainTerms.CapShare"/> of the request.</summary>
    Capped,

    /// <summary>Chain members only, in price-time order.</summary>
    ChainOnly,

    /// <summary>Chain members in price-time order, then any other lot in price-time order.</summary>
    ChainFirst,
}
