using CoopMarket.Grains.Participants;

namespace CoopMarket.Gateway.Security;

/// <summary>A participant's id says what kind of participant it is (<c>coop-…</c>, <c>buyer-…</c>), so an API key,
/// which carries the id, leads to the one grain that holds its hash.</summary>
internal static class ParticipantIds
{
    public const string CooperativePrefix = "coop";
    public const string BuyerPrefix = "buyer";

    public static bool IsCooperative(string id) => id.StartsWith($"{CooperativePrefix}-", StringComparison.Ordinal);

    public static bool IsBuyer(string id) => id.StartsWith($"{BuyerPrefix}-", StringComparison.Ordinal);

    /// <summary>The role an id speaks as and the credential its grain holds; null role for an id of no participant.
    /// The API's key check and the web app's cookie check both ask here.</summary>
    public static async Task<(string? Role, Credential? Credential)> CredentialAsync(IGrainFactory grains, string id) =>
        IsCooperative(id) ? (Caller.Cooperative, await grains.GetGrain<ICooperativeGrain>(id).GetCredentialAsync())
        : IsBuyer(id) ? (Caller.Buyer, await grains.GetGrain<IBuyerGrain>(id).GetCredentialAsync())
        : (null, null);
}
