using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CoopMarket.Gateway.Tests.Security;

[Collection(GatewayCollection.Name)]
public sealed class KeysAndLimitsTests(GatewayFactory factory)
{
    [Fact]
    public async Task A_key_works_until_rotated_or_revoked_and_a_bad_key_is_401()
    {
        var admin = factory.Admin();
        var cooperative = await admin.CooperativeAsync("HTX đổi khóa");
        var path = $"/api/cooperatives/{cooperative.Id}";
        Assert.Equal(HttpStatusCode.OK, (await cooperative.Api.GetAsync(path)).Status);

        var (_, rotated, _) = await cooperative.Api.PostAsync($"{path}/key", new { });
        var renewed = admin.As(rotated.GetProperty("apiKey").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await cooperative.Api.GetAsync(path)).Status);
        Assert.Equal(HttpStatusCode.OK, (await renewed.GetAsync(path)).Status);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"{path}/key")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await renewed.GetAsync(path)).Status);

        foreach (var bad in new[] { "nonsense", "cm.coop-unknown.secret", $"cm.{cooperative.Id}.wrong", "test-admin-key " + "x" })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await admin.As(bad).GetAsync(path)).Status);
        }
    }

    [Fact]
    public async Task A_rotation_retried_with_its_idempotency_key_answers_the_same_key_and_never_undoes_a_later_one()
    {
        var admin = factory.Admin();
        var buyer = await admin.BuyerAsync("Người mua xoay khóa");
        var path = $"/api/buyers/{buyer.Id}";

        var first = await buyer.Api.CreatedAsync($"{path}/key", new { }, key: "rotate-1");
        var again = await admin.CreatedAsync($"{path}/key", new { }, key: "rotate-1");
        Assert.Equal(first.GetProperty("apiKey").GetString(), again.GetProperty("apiKey").GetString());

        var second = await admin.CreatedAsync($"{path}/key", new { }, key: "rotate-2");
        await admin.CreatedAsync($"{path}/key", new { }, key: "rotate-1");
        Assert.Equal(HttpStatusCode.Unauthorized, (await admin.As(first.GetProperty("apiKey").GetString()).GetAsync(path)).Status);
        Assert.Equal(HttpStatusCode.OK, (await admin.As(second.GetProperty("apiKey").GetString()).GetAsync(path)).Status);
    }

    [Fact]
    public async Task An_unverified_buyer_is_capped_until_the_district_office_verifies_it()
    {
        var product = await factory.ProductAsync("unverified");
        var buyer = await factory.Api().BuyerAsync("Người mua tự đăng ký");
        object Request(int kg) => new
        {
            product, quantityKg = kg, deliverFrom = factory.Today.AddDays(3), deliverBy = factory.Today.AddDays(9), maxVndPerKg = 20_000,
        };

        await buyer.Api.CreatedAsync($"/api/buyers/{buyer.Id}/requests", Request(600));
        var (capped, problem, _) = await buyer.Api.PostAsync($"/api/buyers/{buyer.Id}/requests", Request(600));
        Assert.Equal(HttpStatusCode.Forbidden, capped);
        Assert.Contains("unverified", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Forbidden, (await buyer.Api.PostAsync($"/api/buyers/{buyer.Id}/verify", new { })).Status);
        var (verified, profile, _) = await factory.Admin().PostAsync($"/api/buyers/{buyer.Id}/verify", new { });
        Assert.Equal((HttpStatusCode.OK, true), (verified, profile.GetProperty("verified").GetBoolean()));
        await buyer.Api.CreatedAsync($"/api/buyers/{buyer.Id}/requests", Request(600));
    }

    [Fact]
    public async Task The_dashboard_asks_a_browser_to_sign_in_with_the_admin_key()
    {
        var browser = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

        var challenge = await browser.GetAsync(new Uri("/dashboard/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, challenge.StatusCode);
        Assert.StartsWith("/signin", challenge.Headers.Location?.PathAndQuery, StringComparison.Ordinal);

        var page = await browser.GetAsync(new Uri("/signin", UriKind.Relative));
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", page.Headers.GetValues("X-Frame-Options").Single());
        Assert.Contains("Đăng nhập", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var (token, _) = await SignInForm.OpenAsync(browser);
        var wrong = await browser.PostAsync(new Uri("/signin", UriKind.Relative), Form(token, "wrong"));
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        var signedIn = await browser.PostAsync(new Uri("/signin", UriKind.Relative), Form(token, GatewayFactory.AdminKey));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(new Uri("/dashboard/", UriKind.Relative))).StatusCode);

        // The cookie opens the dashboard, never the API: a page elsewhere cannot ride it into a market call.
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync(new Uri("/api/cooperatives", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task A_new_admin_key_signs_out_the_browsers_signed_in_with_the_old_one()
    {
        var browser = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var (token, _) = await SignInForm.OpenAsync(browser);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.PostAsync(new Uri("/signin", UriKind.Relative), Form(token, GatewayFactory.AdminKey))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(new Uri("/dashboard/", UriKind.Relative))).StatusCode);

        // Set, then reloaded as a changed settings file would be; a restart with the new key reads the same cookie.
        var configuration = (IConfigurationRoot)factory.Services.GetRequiredService<IConfiguration>();
        const string NewKey = "test-admin-key-after-the-leak";
        configuration["Auth:AdminKey"] = NewKey;
        configuration.Reload();
        try
        {
            var refused = await browser.GetAsync(new Uri("/dashboard/", UriKind.Relative));
            Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
            Assert.StartsWith("/signin", refused.Headers.Location?.PathAndQuery, StringComparison.Ordinal);

            (token, _) = await SignInForm.OpenAsync(browser);
            Assert.Equal(HttpStatusCode.Redirect, (await browser.PostAsync(new Uri("/signin", UriKind.Relative), Form(token, NewKey))).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(new Uri("/dashboard/", UriKind.Relative))).StatusCode);
        }
        finally
        {
            configuration["Auth:AdminKey"] = GatewayFactory.AdminKey;
            configuration.Reload();
        }
    }

    private static FormUrlEncodedContent Form(string token, string key) => SignInForm.Fields(token, ("key", key), ("returnUrl", "/dashboard/"));

    [Fact]
    public async Task The_right_key_without_the_forms_anti_forgery_token_signs_nobody_in()
    {
        // A page elsewhere that posts its own key into this site (login CSRF) has no token of this browser's.
        var browser = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        await SignInForm.OpenAsync(browser);

        using var forged = await browser.PostAsync(new Uri("/signin", UriKind.Relative), new FormUrlEncodedContent([new("key", GatewayFactory.AdminKey)]));

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.False(forged.Headers.Contains("Set-Cookie") && forged.Headers.GetValues("Set-Cookie").Any(c => c.StartsWith("coopmarket-admin=", StringComparison.Ordinal)));
        using var dashboard = await browser.GetAsync(new Uri("/dashboard/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, dashboard.StatusCode);
    }

    [Fact]
    public async Task Too_many_requests_from_one_key_get_429_with_Retry_After()
    {
        // A limiter is made per key when the key is first seen: a cooperative registered while the setting is low gets
        // the low limit, and nobody else's changes. (A second host would mean a second silo in this process.)
        // Set, then reloaded as a changed settings file would be: the limits are validated options, read through a monitor.
        var configuration = (IConfigurationRoot)factory.Services.GetRequiredService<IConfiguration>();
        var admin = factory.Admin();
        configuration["RateLimits:PermitsPerMinute"] = "5";
        configuration.Reload();
        try
        {
            var cooperative = await admin.CooperativeAsync("HTX bận rộn");
            var statuses = new List<HttpStatusCode>();
            HttpResponseMessage? last = null;
            for (var i = 0; i < 8; i++)
            {
                (var status, _, last) = await cooperative.Api.PostAsync($"/api/cooperatives/{cooperative.Id}/lots", new { });
                statuses.Add(status);
            }

            Assert.Equal(5, statuses.Count(s => s == HttpStatusCode.BadRequest));
            Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
            Assert.True(last!.Headers.RetryAfter?.Delta > TimeSpan.Zero);
            Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/api/cooperatives/{cooperative.Id}")).Status); // the administrator is not limited
        }
        finally
        {
            configuration["RateLimits:PermitsPerMinute"] = "100000";
            configuration.Reload();
        }
    }

    [Fact]
    public async Task A_body_over_64_KiB_is_413()
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", GatewayFactory.AdminKey);
        var body = new StringContent("{\"name\":\"" + new string('x', 70_000) + "\"}", System.Text.Encoding.UTF8, "application/json");

        var response = await client.PostAsync(new Uri("/api/cooperatives", UriKind.Relative), body);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }
}
