using System.Security.Claims;

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

    /// <summary>Whether the caller may see and change what belongs to <paramref name="ownerId"/>: its owner and the
    /// administrator may, and everyone else is told it does not exist.</summary>
    public bool MayAccess(string ownerId) => IsAdmin || ParticipantId == ownerId;

    /// <summary>Whether the caller may see a deal: either of its sides, and the administrator.</summary>
    public bool MayAccessDeal(string cooperativeId, string buyerId) => MayAccess(cooperativeId) || MayAccess(buyerId);

    /// <summary>Binds a handler's <see cref="Caller"/> parameter once per request, so no handler reads claims itself.</summary>
    public static ValueTask<Caller> BindAsync(HttpContext context) => ValueTask.FromResult(From(context.User));

    public static Caller From(ClaimsPrincipal user) => new(
        user.FindFirstValue(ClaimTypes.Role),
        user.FindFirstValue(ClaimTypes.NameIdentifier),
        user.HasClaim(VerifiedClaim, "true") || user.IsInRole(Admin));
}
