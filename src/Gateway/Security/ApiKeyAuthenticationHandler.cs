using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using CoopMarket.Grains.Participants;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace CoopMarket.Gateway.Security;

/// <summary>Authenticates <c>Authorization: Bearer &lt;key&gt;</c>: the administrator's key from <c>Auth:AdminKey</c>, or a
/// participant key checked against the hash its cooperative or buyer grain holds.</summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IGrainFactory grains,
    IOptionsMonitor<AuthOptions> auth) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    private const string BearerPrefix = "Bearer ";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (BearerKey(Request) is not { } key)
        {
            return AuthenticateResult.NoResult();
        }

        if (IsAdminKey(auth.CurrentValue.AdminKey, key))
        {
            return Success(Caller.Admin, "admin", verified: true);
        }

        if (ApiKeys.Parse(key) is null)
        {
            return AuthenticateResult.Fail("Malformed API key.");
        }

        if (await ParticipantAsync(grains, key) is not var (role, participantId, verified, account))
        {
            return AuthenticateResult.Fail("Unknown or revoked API key.");
        }

        Caller.Remember(Context, participantId, account);
        return Success(role, participantId, verified);
    }

    /// <summary>The cooperative or buyer a participant key speaks for, checked against the hash its grain holds, with
    /// the participant's account read in the same call; null for a malformed, unknown or revoked key. The API and the web
    /// app's sign-in both ask here.</summary>
    public static async Task<(string Role, string ParticipantId, bool Verified, object Account)?> ParticipantAsync(IGrainFactory grains, string key)
    {
        if (ApiKeys.Parse(key) is not var (participantId, hash))
        {
            return null;
        }

        return await ParticipantIds.AccountAsync(grains, participantId) is var (role, credential, account)
            && credential is { KeyHash: { } stored } && ApiKeys.Matches(stored, hash)
            ? (role, participantId, credential.Verified, account)
            : null;
    }

    /// <summary>Whether the bearer key <paramref name="context"/> was authenticated with still is the administrator's
    /// key or its participant's current one: a response that lasts (a live event stream) asks again while it runs, so a
    /// rotated or revoked key does not keep it open.</summary>
    public static async Task<bool> StillCurrentAsync(HttpContext context)
    {
        if (BearerKey(context.Request) is not { } key)
        {
            return false;
        }

        var caller = Caller.From(context.User);
        if (caller.IsAdmin)
        {
            return IsAdminKey(context.RequestServices.GetRequiredService<IOptionsMonitor<AuthOptions>>().CurrentValue.AdminKey, key);
        }

        return await ParticipantAsync(context.RequestServices.GetRequiredService<IGrainFactory>(), key) is var (_, id, _, _) && id == caller.ParticipantId;
    }

    public static bool IsAdminKey(string? configured, string presented) =>
        configured is { Length: > 0 } && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(configured), Encoding.UTF8.GetBytes(presented));

    private static string? BearerKey(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase) ? header[BearerPrefix.Length..].Trim() : null;
    }

    private static AuthenticateResult Success(string role, string id, bool verified)
    {
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Role, role), new Claim(ClaimTypes.NameIdentifier, id), new Claim(Caller.VerifiedClaim, verified ? "true" : "false")],
            SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }
}
