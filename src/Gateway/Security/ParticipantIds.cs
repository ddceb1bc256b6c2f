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

    /// <summary>The role an id speaks as and its participant's <see cref="Account{TProfile}"/> (an
    /// <c>Account&lt;CooperativeProfile&gt;</c> or <c>Account&lt;BuyerProfile&gt;</c>), in the one call that authenticating a
    /// request (its API key, or the web app's cookie) makes: the command the request carries then acts on the account it read, and does not call the
    /// participant's grain again. Null for an id of no participant.</summary>
    public static async Task<(string Role, Credential Credential, object Account)?> AccountAsync(IGrainFactory grains, string id) =>
        IsCooperative(id) ? Of(Caller.Cooperative, await grains.GetGrain<ICooperativeGrain>(id).GetAccountAsync())
        : IsBuyer(id) ? Of(Caller.Buyer, await grains.GetGrain<IBuyerGrain>(id).GetAccountAsync())
        : null;

    private static (string, Credential, object)? Of<TProfile>(string role, Account<TProfile>? account) where TProfile : class =>
        account is null ? null : (role, account.Credential, account);
}
