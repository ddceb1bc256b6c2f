using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using CoopMarket.Gateway.Web;
using CoopMarket.Grains.Participants;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Localization;

namespace CoopMarket.Gateway.Security;

/// <summary>The browser's way in: a form for a key — the administrator's, a cooperative's or a buyer's — which sets a
/// cookie. The cookie opens the web app and the dashboard, never the API (see <see cref="SecuritySetup"/>).</summary>
internal static class SignInPage
{
    /// <summary>The hash of the key a cookie was issued for, a participant's or the administrator's: the cookie dies
    /// with the key.</summary>
    private const string KeyHashClaim = "coopmarket:key";

    public static IEndpointRouteBuilder MapSignIn(this IEndpointRouteBuilder app)
    {
        app.MapGet("/signin", (string? returnUrl, HttpContext context, IAntiforgery antiforgery, IStringLocalizer<Text> text) =>
            Page(context, antiforgery, LocalOrNull(returnUrl), failed: false, text)).ExcludeFromDescription();
        app.MapPost("/signin", SignInAsync).ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> SignInAsync(HttpContext context, IOptionsMonitor<AuthOptions> auth, IAntiforgery antiforgery, IStringLocalizer<Text> text)
    {
        if (!context.Request.HasFormContentType)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Sign in with the form",
                detail: "Send the key as form data, or call the API with Authorization: Bearer.");
        }

        IFormCollection form;
        try
        {
            form = await context.Request.ReadFormAsync();
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            // Too many fields, an oversized name, a null byte, a multipart body without or past its boundary.
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The form could not be read", detail: e.Message);
        }

        // Login CSRF: without the token, a page elsewhere could sign this browser in with the attacker's key, and what the
        // person then types (a lot, a request) would land in the attacker's account. Checked after the form is read, so
        // an unreadable form still answers the 400 above.
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The form has expired",
                detail: "Open the sign-in page again and send its form.");
        }

        var returnUrl = LocalOrNull(form["returnUrl"].ToString());
        var key = form["key"].ToString();
        ClaimsPrincipal principal;
        if (ApiKeyAuthenticationHandler.IsAdminKey(auth.CurrentValue.AdminKey, key))
        {
            principal = AdminPrincipal(key);
        }
        // Asked for only now: the administrator signs in without a cluster (a gateway still joining one, a test host).
        else if (await ApiKeyAuthenticationHandler.ParticipantAsync(context.RequestServices.GetRequiredService<IGrainFactory>(), key) is var (role, id, verified, _))
        {
            principal = ParticipantPrincipal(role, id, verified, ApiKeys.Parse(key)!.Value.Hash);
        }
        else
        {
            return Page(context, antiforgery, returnUrl, failed: true, text);
        }

        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, principal);
        return Results.LocalRedirect(returnUrl ?? HomeOf(Caller.From(principal)));
    }

    /// <summary>The administrator signed in with <paramref name="adminKey"/>.</summary>
    public static ClaimsPrincipal AdminPrincipal(string adminKey) => new(new ClaimsIdentity(
        [new Claim(ClaimTypes.Role, Caller.Admin), new Claim(ClaimTypes.NameIdentifier, "admin"), new Claim(Caller.VerifiedClaim, "true"),
            new Claim(KeyHashClaim, AdminKeyHash(adminKey))],
        CookieAuthenticationDefaults.AuthenticationScheme));

    /// <summary>A participant signed in with its key; also used right after a buyer registers on the web.</summary>
    public static ClaimsPrincipal ParticipantPrincipal(string role, string id, bool verified, string keyHash) => new(new ClaimsIdentity(
        [new Claim(ClaimTypes.Role, role), new Claim(ClaimTypes.NameIdentifier, id), new Claim(Caller.VerifiedClaim, verified ? "true" : "false"),
            new Claim(KeyHashClaim, keyHash)],
        CookieAuthenticationDefaults.AuthenticationScheme));

    /// <summary>Where each kind of participant starts.</summary>
    public static string HomeOf(Caller caller) => caller.Role switch
    {
        Caller.Admin => "/admin",
        Caller.Cooperative => "/coop/lots",
        Caller.Buyer => "/buyer/requests",
        _ => "/",
    };

    /// <summary>Checks a participant's cookie against its key on every request, as the API checks a bearer key: a key
    /// rotated or revoked signs its browsers out at once, not when the cookie expires.</summary>
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        if (context.Principal is { } principal && !await KeyStillCurrentAsync(context.HttpContext, principal))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
    }

    /// <summary>Whether a cookie was issued for the key that is current: its participant's, or for the administrator's
    /// cookie the configured <c>Auth:AdminKey</c>. Asked on every request, and again by a live event stream while it runs.</summary>
    /// <remarks>A new administrator's key signs out every browser signed in with the old one, as a rotated participant's
    /// key does: the cookie outlives a restart (its encryption keys are shared and kept), the old key must not. A cookie
    /// with no key at all (an administrator's issued before cookies carried one) is refused: signing in again is the
    /// cost. The grain factory is resolved only for a participant's cookie: the administrator's works without a cluster
    /// (a gateway still joining one, a test host). A participant's account is read whole and kept for the request, as the
    /// API's key check does, so a page's command does not read the participant again.</remarks>
    public static async Task<bool> KeyStillCurrentAsync(HttpContext context, ClaimsPrincipal principal)
    {
        var services = context.RequestServices;
        if (principal.FindFirstValue(KeyHashClaim) is not { } signedWith)
        {
            return false;
        }

        if (Caller.From(principal).IsAdmin)
        {
            return services.GetRequiredService<IOptionsMonitor<AuthOptions>>().CurrentValue.AdminKey is { Length: > 0 } adminKey
                && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(AdminKeyHash(adminKey)), Encoding.UTF8.GetBytes(signedWith));
        }

        var id = principal.FindFirstValue(ClaimTypes.NameIdentifier) ?? "";
        if (await ParticipantIds.AccountAsync(services.GetRequiredService<IGrainFactory>(), id) is not (_, { KeyHash: { } current }, var account)
            || !ApiKeys.Matches(current, signedWith))
        {
            return false;
        }

        Caller.Remember(context, id, account);
        return true;
    }

    /// <summary>What an administrator's cookie holds of the key: a hash, never the key, though the cookie is encrypted.</summary>
    private static string AdminKeyHash(string adminKey) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"coopmarket-admin-cookie:{adminKey}")));

    /// <summary>Only back into this site, never to an address a link smuggled in. The framework's own test, the one
    /// <see cref="Results.LocalRedirect"/> enforces: a hand-written one let <c>/\evil.example</c> through, which browsers
    /// read as another host and which then failed the redirect with a 500.</summary>
    private static string? LocalOrNull(string? returnUrl) => RedirectHttpResult.IsLocalUrl(returnUrl) ? returnUrl : null;

    private static IResult Page(HttpContext context, IAntiforgery antiforgery, string? returnUrl, bool failed, IStringLocalizer<Text> text)
    {
        var token = antiforgery.GetAndStoreTokens(context);
        return Results.Content($$"""
        <!doctype html>
        <html lang="{{text["lang"]}}">
        <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{Encode(text["Sign in"])}} — CoopMarket</title><link rel="stylesheet" href="/site.css"></head>
        <body>
        <header><a class="brand" href="/">CoopMarket</a></header>
        <main>
          <h1>{{Encode(text["Sign in"])}}</h1>
          <p>{{Encode(text["Sign in with the key the district office gave you, or the key you received when you registered."])}}</p>
          {{(failed ? $"<p role=\"alert\" class=\"alert\">{Encode(text["Wrong key."])}</p>" : "")}}
          <form method="post" action="/signin">
            <label for="key">{{Encode(text["Key"])}}</label>
            <input id="key" type="password" name="key" autocomplete="current-password" required>
            <input type="hidden" name="{{Encode(token.FormFieldName)}}" value="{{Encode(token.RequestToken!)}}">
            {{(returnUrl is null ? "" : $"<input type=\"hidden\" name=\"returnUrl\" value=\"{Encode(returnUrl)}\">")}}
            <p><button class="primary" type="submit">{{Encode(text["Sign in"])}}</button></p>
          </form>
          <p><a href="/buyer/register">{{Encode(text["New buyer? Register"])}}</a></p>
        </main>
        </body>
        </html>
        """, "text/html; charset=utf-8", statusCode: failed ? StatusCodes.Status401Unauthorized : StatusCodes.Status200OK);
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
