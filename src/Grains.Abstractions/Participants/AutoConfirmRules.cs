namespace CoopMarket.Grains.Participants;

/// <summary>A cooperative's standing consent: the deals the market makes from its lots with these buyers, or with any
/// buyer whose request buys through one of these value chains, are confirmed as they are made. A deal with a buyer
/// the district office has not verified is never confirmed by a rule.</summary>
/// <param name="Version">Counts the cooperative's changes: a market keeps the highest version it has heard of, so a
/// late or repeated delivery never undoes a newer change.</param>
[GenerateSerializer, Immutable]
public sealed record AutoConfirmRules(
    [property: Id(0)] IReadOnlyList<string> BuyerIds,
    [property: Id(1)] IReadOnlyList<string> ValueChainIds,
    [property: Id(2)] long Version)
{
    /// <summary>Buyers one cooperative may name: a district's buyers with room to spare, and a bound on what every
    /// market of the cooperative keeps and journals per change.</summary>
    public const int MaxBuyers = 200;

    /// <summary>Value chains one cooperative may name.</summary>
    public const int MaxValueChains = 50;

    public static readonly AutoConfirmRules None = new([], [], 0);

    /// <summary>The rule that confirms a deal with <paramref name="buyerId"/> for a request through
    /// <paramref name="valueChainId"/>, as the deal's confirmation names it (<c>buyer:{id}</c> or
    /// <c>valueChain:{id}</c>); null when no rule does. Verification is the market's to check: it knows the request.</summary>
    public string? Confirming(string buyerId, string? valueChainId) =>
        BuyerIds.Contains(buyerId, StringComparer.Ordinal) ? $"buyer:{buyerId}"
        : valueChainId is not null && ValueChainIds.Contains(valueChainId, StringComparer.Ordinal) ? $"valueChain:{valueChainId}"
        : null;
}
