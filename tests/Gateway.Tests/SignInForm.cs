using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;

namespace CoopMarket.Gateway.Tests;

/// <summary>The sign-in form as a browser sends it: the page is opened first, and its anti-forgery token and cookie go
/// back with the key.</summary>
internal static partial class SignInForm
{
    /// <summary>Opens <c>/signin</c> through <paramref name="http"/> and answers the form's token and its cookie
    /// (<c>name=value</c>, for a client that keeps no cookies of its own; empty when the client holds one already, which
    /// the page then reuses).</summary>
    public static async Task<(string Token, string Cookie)> OpenAsync(HttpClient http)
    {
        using var page = await http.GetAsync(new Uri("/signin", UriKind.Relative));
        page.EnsureSuccessStatusCode();
        return Read(await page.Content.ReadAsStringAsync(), page.Headers.TryGetValues("Set-Cookie", out var set) ? set : []);
    }

    /// <summary>Opens a form page of the web app as a browser signed in with <paramref name="cookie"/> would, and answers
    /// the page's token and the cookies to post its form with (the sign-in cookie and the page's anti-forgery one).</summary>
    public static async Task<(string Token, string Cookie)> OpenAsync(HttpClient http, string path, string cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.Add("Cookie", cookie);
        using var page = await http.SendAsync(request);
        page.EnsureSuccessStatusCode();
        var form = Read(await page.Content.ReadAsStringAsync(), page.Headers.TryGetValues("Set-Cookie", out var set) ? set : []);
        return (form.Token, form.Cookie.Length == 0 ? cookie : $"{cookie}; {form.Cookie}");
    }

    /// <summary>Signs a participant in with its key and answers the sign-in cookie (<c>name=value</c>).</summary>
    public static async Task<string> SignInAsync(HttpClient http, string key)
    {
        using var form = Post(await OpenAsync(http), ("key", key), ("returnUrl", "/"));
        using var response = await http.SendAsync(form);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("coopmarket-admin=", StringComparison.Ordinal)).Split(';')[0];
    }

    /// <summary>The same for a request sent straight into the test server, e.g. from a chosen client address.</summary>
    public static async Task<(string Token, string Cookie)> OpenAsync(TestServer server, Action<HttpContext>? configure = null)
    {
        var context = await server.SendAsync(c =>
        {
            c.Request.Method = "GET";
            c.Request.Path = "/signin";
            configure?.Invoke(c);
        });
        return Read(await new StreamReader(context.Response.Body).ReadToEndAsync(), context.Response.Headers.SetCookie.OfType<string>());
    }

    /// <summary>The form's fields with the token added, URL-encoded.</summary>
    public static FormUrlEncodedContent Fields(string token, params (string Name, string Value)[] fields) =>
        new([.. fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)), new(TokenField, token)]);

    /// <summary>The form posted by a client that keeps no cookies: the anti-forgery cookie goes in by hand.</summary>
    public static HttpRequestMessage Post((string Token, string Cookie) form, params (string Name, string Value)[] fields) =>
        Post("/signin", form, fields);

    /// <summary>A form of the page at <paramref name="path"/> posted by a client that keeps no cookies.</summary>
    public static HttpRequestMessage Post(string path, (string Token, string Cookie) form, params (string Name, string Value)[] fields)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = Fields(form.Token, fields) };
        request.Headers.Add("Cookie", form.Cookie);
        return request;
    }

    /// <summary>The field the framework's anti-forgery service reads the token from.</summary>
    public const string TokenField = "__RequestVerificationToken";

    private static (string Token, string Cookie) Read(string page, IEnumerable<string> setCookies)
    {
        var token = Token().Match(page);
        Assert.True(token.Success, "The page carries no anti-forgery token.");
        var cookie = setCookies.Select(c => c.Split(';')[0]).SingleOrDefault(c => c.StartsWith(".AspNetCore.Antiforgery.", StringComparison.Ordinal)) ?? "";
        return (WebUtility.HtmlDecode(token.Groups[1].Value), cookie);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*? value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
