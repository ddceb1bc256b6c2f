namespace CoopMarket.Gateway.Contracts;

/// <summary>A cooperative's auto-confirm rules, as it sets them: every deal the market makes from its lots with one of
/// these buyers, or with any buyer whose request buys through one of these value chains, is confirmed as it is made —
/// never a deal with a buyer the district office has not verified. A change applies to the deals made after it;
/// deals already proposed wait for a person as before. Missing lists count as empty.</summary>
/// <param name="BuyerIds">Registered buyers (<c>buyer-…</c>), at most 200.</param>
/// <param name="ValueChainIds">Existing value chains (<c>chain-…</c>), at most 50.</param>
public sealed record SetAutoConfirm(IReadOnlyList<string>? BuyerIds, IReadOnlyList<string>? ValueChainIds);

/// <summary>A cooperative's auto-confirm rules as they stand.</summary>
/// <param name="BuyerIds">Buyers whose deals are confirmed as they are made, if verified.</param>
/// <param name="ValueChainIds">Value chains whose buyers' deals are confirmed as they are made, if verified.</param>
public sealed record AutoConfirmDto(IReadOnlyList<string> BuyerIds, IReadOnlyList<string> ValueChainIds);
