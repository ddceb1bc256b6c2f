using System.Net;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace CoopMarket.Gateway.Security;

/// <summary>The browser's way to the admin-only dashboard: a form for the administrator's key, which sets a cookie.</summary>
internal static class SignInPage
{
    public static IEndpointRouteBuilder MapSignIn(this IEndpointRouteBuilder app)
    {
        app.MapGet("/signin", (string? returnUrl) => Page(LocalOrDashboard(returnUrl), failed: false)).ExcludeFromDescription();
        app.MapPost("/signin", SignInAsync).ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> SignInAsync(HttpContext context, IOptionsMonitor<AuthOptions> auth)
    {
        if (!context.Request.HasFormContentType)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Sign in with the form",
                detail: "Send the administrator key as form data, or call the API with Authorization: Bearer.");
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

        var returnUrl = LocalOrDashboard(form["returnUrl"].ToString());
        if (!ApiKeyAuthenticationHandler.IsAdminKey(auth.CurrentValue.AdminKey, form["key"].ToString()))
        {
            return Page(returnUrl, failed: true);
        }

        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, SecuritySetup.AdminPrincipal());
        return Results.LocalRedirect(returnUrl);
    }

    /// <summary>Only back into this site, never to an address a link smuggled in. The framework's own test, the one
    /// <see cref="Results.LocalRedirect"/> enforces: a hand-written one let <c>/\evil.example</c> through, which browsers
    /// read as another host and which then failed the redirect with a 500.</summary>
    private static string LocalOrDashboard(string? returnUrl) => RedirectHttpResult.IsLocalUrl(returnUrl) ? returnUrl! : "/dashboard/";

    private static IResult Page(string returnUrl, bool failed) => Results.Content($$"""
        <!doctype html>
        <html lang="vi">
        <head><meta charset="utf-8"><title>CoopMarket — Đăng nhập quản trị / Administrator sign-in</title></head>
        <body style="font-family: sans-serif; max-width: 28rem; margin: 4rem auto">
          <h1>CoopMarket</h1>
          <p>Bảng điều khiển cụm chỉ dành cho quản trị viên. / The cluster dashboard is for administrators only.</p>
          {{(failed ? "<p role=\"alert\" style=\"color:#a00\">Khóa không đúng. / Wrong key.</p>" : "")}}
          <form method="post" action="/signin">
            <label>Khóa quản trị / Administrator key<br><input type="password" name="key" autocomplete="current-password" required></label>
            <input type="hidden" name="returnUrl" value="{{WebUtility.HtmlEncode(returnUrl)}}">
            <p><button type="submit">Đăng nhập / Sign in</button></p>
          </form>
        </body>
        </html>
        """, "text/html; charset=utf-8", statusCode: failed ? StatusCodes.Status401Unauthorized : StatusCodes.Status200OK);
}
