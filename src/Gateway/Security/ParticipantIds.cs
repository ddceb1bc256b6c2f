namespace CoopMarket.Gateway.Security;

/// <summary>A participant's id says what kind of participant it is (<c>coop-…</c>, <c>buyer-…</c>), so an API key,
/// which carries the id, leads to the one grain that holds its hash.</summary>
internal static class ParticipantIds
{
    public const string CooperativePrefix = "coop";
    public const string BuyerPrefix = "buyer";

    public static bool IsCooperative(string id) => id.StartsWith($"{CooperativePrefix}-", StringComparison.Ordinal);

    public static bool IsBuyer(string id) => id.StartsWith($"{BuyerPrefix}-", StringComparison.Ordinal);
}
