using Microsoft.AspNetCore.Authentication.Cookies;

namespace CoopMarket.Gateway.Security;

/// <summary>Authentication runs once, when a request starts; a response that lasts (a live event stream) would otherwise
/// outlive the key it was opened with. It asks here again, with whichever credential opened it.</summary>
internal static class CredentialCheck
{
    /// <summary>Whether the key or cookie that authenticated <paramref name="context"/> is still current; false for a
    /// request authenticated any other way, so a stream fails closed.</summary>
    public static Task<bool> StillCurrentAsync(HttpContext context) => context.User.Identity?.AuthenticationType switch
    {
        ApiKeyAuthenticationHandler.SchemeName => ApiKeyAuthenticationHandler.StillCurrentAsync(context),
        CookieAuthenticationDefaults.AuthenticationScheme => SignInPage.KeyStillCurrentAsync(context, context.User),
        _ => Task.FromResult(false),
    };
}
