using System.Security.Claims;
using CoopMarket.Grains.Participants;

namespace CoopMarket.Gateway.Security;

/// <summary>Who is calling: the district administrator, a cooperative, a buyer, or nobody known.</summary>
internal sealed record Caller(string? Role, string? ParticipantId, bool Verified)
{
    public const string Admin = "admin";
    public const string Cooperative = "cooperative";
    public const string Buyer = "buyer";
    public const string VerifiedClaim = "coopmarket:verified";

    /// <summary>The platform itself, e.g. the demo loader: it acts with the administrator's rights.</summary>
    public static readonly Caller System = new(Admin, null, true);

    public bool IsAdmin => Role == Admin;

    /// <summary>The participant's own account, as authenticating this request read it (see <see cref="Remember"/>).</summary>
    private object? Account { get; init; }

    /// <summary>The account of <paramref name="participantId"/> that authenticating this request read, when the caller is
    /// that participant; null otherwise (the administrator acting for a participant, the platform itself), and the
    /// command reads the participant's grain.</summary>
    /// <remarks>Read at the start of the same HTTP request, from the participant's grain (never a cache), so it is as fresh
    /// as a read the command would make a moment later: what it holds does not change after registration, or changes
    /// only towards more rights (a buyer's verification), or is a value-chain membership that a join racing this very
    /// request may or may not see either way. A change that completed before the request started is in it.</remarks>
    public Account<TProfile>? OwnAccount<TProfile>(string participantId) where TProfile : class =>
        ParticipantId == participantId && Account is Account<TProfile> account ? account : null;

    /// <summary>Keeps the account read while authenticating <paramref name="participantId"/>'s key, for the command the
    /// request carries. Keyed by the participant, so it serves only a caller authenticated as that same participant.</summary>
    public static void Remember(HttpContext context, string participantId, object account) => context.Items[ItemKey(participantId)] = account;

    /// <summary>Whether the caller may see and change what belongs to <paramref name="ownerId"/>: its owner and the
    /// administrator may, and everyone else is told it does not exist.</summary>
    public bool MayAccess(string ownerId) => IsAdmin || ParticipantId == ownerId;

    /// <summary>Whether the caller may see a deal: either of its sides, and the administrator.</summary>
    public bool MayAccessDeal(string cooperativeId, string buyerId) => MayAccess(cooperativeId) || MayAccess(buyerId);

    /// <summary>Binds a handler's <see cref="Caller"/> parameter once per request, so no handler reads claims itself.</summary>
    public static ValueTask<Caller> BindAsync(HttpContext context) => ValueTask.FromResult(From(context));

    /// <summary>The caller of <paramref name="context"/>, with its own account when authenticating the request read it.</summary>
    public static Caller From(HttpContext context)
    {
        var caller = From(context.User);
        return caller.ParticipantId is { } id && context.Items.TryGetValue(ItemKey(id), out var account) ? caller with { Account = account } : caller;
    }

    public static Caller From(ClaimsPrincipal user) => new(
        user.FindFirstValue(ClaimTypes.Role),
        user.FindFirstValue(ClaimTypes.NameIdentifier),
        user.HasClaim(VerifiedClaim, "true") || user.IsInRole(Admin));

    private static string ItemKey(string participantId) => $"coopmarket:account:{participantId}";
}
