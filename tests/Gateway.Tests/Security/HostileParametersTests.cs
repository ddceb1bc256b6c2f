using System.Net;
using System.Text;
using CoopMarket.Grains.Market;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace CoopMarket.Gateway.Tests.Security;

/// <summary>What a client puts in a URL or a form rather than a JSON body: every query parameter and route value of
/// every endpoint the gateway maps, and the sign-in form, fed hostile values. Nothing a client sends may answer 5xx, and
/// the market's API answers a 2xx or a 4xx problem.</summary>
/// <remarks>Requests go straight into the test server with a raw query string, so malformed escapes reach the gateway
/// exactly as an attacker would send them, instead of being repaired by <see cref="Uri"/> on the way.</remarks>
[Collection(GatewayCollection.Name)]
public sealed class HostileParametersTests(GatewayFactory factory, ITestOutputHelper output)
{
    /// <summary>Paging and redirect parameters are tried on every endpoint, whether it reads them yet or not: a list that
    /// learns paging later is covered the day it does.</summary>
    private static readonly string[] AlwaysTried = ["limit", "cursor", "returnUrl"];

    /// <summary>Raw, already-escaped query values: numbers out of range, text where numbers go, escapes that decode to
    /// nothing valid, redirect tricks, markup, and sizes no parameter needs.</summary>
    private static readonly string[] HostileQueryValues =
    [
        "", "%20", "0", "-1", "2147483648", "9223372036854775807", "-9223372036854775808", "99999999999999999999999", "1.5", "NaN", "abc", "%00", "%FF%FE", "%", "%zz",
        "Thanh%20long%20%E1%BB%91", "%3Cscript%3Ealert(1)%3C%2Fscript%3E", "'%20OR%201%3D1--", "..%2F..%2Fetc%2Fpasswd",
        "eyJhIjoxfQ", "!!!!", "%2F%5Cevil.example", "%2F%2Fevil.example", "https%3A%2F%2Fevil.example", "javascript%3Aalert(1)",
        new string('x', 4_000), "1&limit=2&cursor=a&cursor=b",
    ];

    /// <summary>No <c>%00</c>: Kestrel refuses a path holding a null byte before the gateway sees it.</summary>
    private static readonly string[] HostileRouteValues =
    [
        "%20", "-1", "%FF%FE", "%25", "..", "%2E%2E", "a%2Fb", "%5C", "%3Cscript%3E", "'%20OR%201%3D1--", new string('x', 4_000),
        "Thanh%20long%20%E1%BB%91", "coop-", "buyer-", "cm.x.y",
    ];

    [Fact]
    public async Task Every_query_parameter_and_route_value_answers_below_500()
    {
        var world = await WorldAsync();
        var routes = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (
                Method: m,
                Template: e.RoutePattern.RawText!,
                IsPublic: e.Metadata.GetMetadata<IAllowAnonymous>() is not null || e.Metadata.GetMetadata<IAuthorizeData>() is null)))
            // The dashboard's trace and a participant's live events stream until the client hangs up: there is no
            // answer to wait for (NotificationsApiTests covers the events' own inputs: the id and Last-Event-ID).
            .Where(r => r.Method is "GET" or "DELETE" && !r.Template.EndsWith("/Trace", StringComparison.Ordinal)
                && !r.Template.EndsWith("/events", StringComparison.Ordinal))
            .ToList();
        var parameters = QueryParameters().Union(AlwaysTried).ToList();
        Assert.Contains(routes, r => r.Template == "/signin");

        var cases = 0;
        var failures = new List<string>();
        async Task TryAsync(string method, string path, string query, string? key)
        {
            var (status, body, contentType) = await SendAsync(method, path, query, key);
            cases++;
            // The market's own API answers a success or an RFC 9457 problem, never a redirect or a bare status.
            var apiAnswer = !path.StartsWith("/api/", StringComparison.Ordinal)
                || status is >= 200 and < 300
                || (status is >= 400 and < 500 && contentType == "application/problem+json");
            if (status >= 500 || !apiAnswer)
            {
                failures.Add($"{method} {path}{query} as {(key is null ? "anonymous" : "admin")}: {status} {contentType} {body}");
            }
        }

        foreach (var (method, template, isPublic) in routes)
        {
            var path = Fill(template, world, _ => null);
            // A protected endpoint turns the anonymous away before it reads anything: the administrator reaches every handler.
            foreach (var key in isPublic ? new[] { GatewayFactory.AdminKey, null } : [GatewayFactory.AdminKey])
            {
                foreach (var value in HostileQueryValues)
                {
                    // A script, style sheet or icon is a file, whatever the query says: sweeping megabytes of them proves nothing.
                    foreach (var parameter in method == "GET" && !IsStaticFile(template) ? parameters : [])
                    {
                        await TryAsync(method, path, $"?{parameter}={value}", key);
                    }
                }

                foreach (var value in template.Contains('{', StringComparison.Ordinal) ? HostileRouteValues : [])
                {
                    await TryAsync(method, Fill(template, world, _ => value), "", key);
                }
            }
        }

        output.WriteLine($"{cases} hostile query and route cases over {routes.Count} routes, parameters: {string.Join(", ", parameters)}");
        failures.ForEach(output.WriteLine);
        Assert.Empty(failures);
        Assert.True(cases >= 4_000, $"only {cases} cases ran");
    }

    private static bool IsStaticFile(string template) => Path.HasExtension(template) && !template.EndsWith(".json", StringComparison.Ordinal);

    [Theory]
    [InlineData("/\\evil.example")]
    [InlineData("/\\/evil.example")]
    [InlineData("\\\\evil.example")]
    [InlineData("//evil.example")]
    [InlineData("/\t/evil.example")]
    [InlineData("https://evil.example/dashboard/")]
    [InlineData("javascript:alert(1)")]
    [InlineData("~/\\evil.example")]
    [InlineData("")]
    public async Task Signing_in_with_a_redirect_out_of_the_site_lands_on_the_administrators_home(string returnUrl)
    {
        var (status, location, _) = await SignInAsync($"key={GatewayFactory.AdminKey}&returnUrl={Uri.EscapeDataString(returnUrl)}");

        Assert.Equal(302, status);
        Assert.Equal("/admin", location);
    }

    [Theory]
    [InlineData("/dashboard/ClusterStats", "/dashboard/ClusterStats")]
    [InlineData("/dashboard/?tab=grains", "/dashboard/?tab=grains")]
    [InlineData("~/dashboard/", "/dashboard/")]
    public async Task Signing_in_goes_back_to_the_page_in_this_site_that_asked(string returnUrl, string expected)
    {
        var (status, location, _) = await SignInAsync($"key={GatewayFactory.AdminKey}&returnUrl={Uri.EscapeDataString(returnUrl)}");

        Assert.Equal(302, status);
        Assert.Equal(expected, location);
    }

    [Fact]
    public async Task The_sign_in_page_echoes_no_redirect_out_of_the_site_and_no_markup()
    {
        foreach (var returnUrl in new[] { "/\\evil.example", "//evil.example", "https://evil.example" })
        {
            var (status, body, _) = await SendAsync("GET", "/signin", $"?returnUrl={Uri.EscapeDataString(returnUrl)}", null);
            Assert.Equal(200, status);
            Assert.DoesNotContain("evil.example", body, StringComparison.Ordinal);
        }

        var (_, page, _) = await SendAsync("GET", "/signin", $"?returnUrl={Uri.EscapeDataString("/dashboard/\"><script>alert(1)</script>")}", null);
        Assert.DoesNotContain("<script>", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_hostile_sign_in_form_answers_below_500_and_signs_nobody_in()
    {
        var failures = new List<string>();
        var cases = 0;
        foreach (var (name, contentType, body) in HostileForms())
        {
            var (status, location, cookie) = await SignInAsync(body, contentType);
            cases++;
            // Only the right key may sign in, and then only into this site.
            var signedIn = cookie is not null;
            if (status >= 500 || (signedIn && !body.Contains($"key={GatewayFactory.AdminKey}", StringComparison.Ordinal))
                || (status == 302 && location?.StartsWith('/') != true))
            {
                failures.Add($"{name}: {status} location={location} cookie={signedIn}");
            }
        }

        output.WriteLine($"{cases} hostile sign-in forms");
        failures.ForEach(output.WriteLine);
        Assert.Empty(failures);
    }

    private static IEnumerable<(string Name, string ContentType, string Body)> HostileForms()
    {
        const string form = "application/x-www-form-urlencoded";
        yield return ("empty form", form, "");
        yield return ("no key", form, "returnUrl=%2Fdashboard%2F");
        yield return ("empty key", form, "key=&returnUrl=%2Fdashboard%2F");
        yield return ("two keys", form, $"key=wrong&key={GatewayFactory.AdminKey}");
        yield return ("two return addresses", form, $"key={GatewayFactory.AdminKey}&returnUrl=%2Fdashboard%2F&returnUrl=%2F%5Cevil.example");
        yield return ("key with padding", form, $"key=%20{GatewayFactory.AdminKey}%20");
        yield return ("garbage", form, "%%%&&&===");
        yield return ("bad escapes", form, "key=%zz&returnUrl=%FF%FE");
        yield return ("null bytes", form, "key=%00&returnUrl=%00");
        yield return ("field names only", form, "=&=&=");
        yield return ("2,000 fields", form, string.Join('&', Enumerable.Range(0, 2_000).Select(i => $"f{i}=1")));
        yield return ("a 3,000-character field name", form, new string('k', 3_000) + "=1");
        yield return ("a 50 KB key", form, "key=" + new string('x', 50_000));
        yield return ("a 70 KB form", form, "key=" + new string('x', 70_000));
        yield return ("unknown charset", form + "; charset=no-such-charset", $"key={GatewayFactory.AdminKey}");
        yield return ("multipart without boundary", "multipart/form-data", $"key={GatewayFactory.AdminKey}");
        yield return ("broken multipart", "multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nx");
        yield return ("multipart with a file", "multipart/form-data; boundary=b",
            "--b\r\nContent-Disposition: form-data; name=\"key\"; filename=\"key.txt\"\r\n\r\nx\r\n--b--\r\n");
        yield return ("JSON", "application/json", $$"""{"key":"{{GatewayFactory.AdminKey}}"}""");
        yield return ("no content type", "", $"key={GatewayFactory.AdminKey}");
        foreach (var value in HostileQueryValues)
        {
            yield return ($"key = {value}", form, $"key={value}&returnUrl=%2Fdashboard%2F");
            yield return ($"right key, returnUrl = {value}", form, $"key={GatewayFactory.AdminKey}&returnUrl={value}");
        }
    }

    /// <summary>Posts the sign-in form as a browser would; answers the status, the redirect and the cookie set, if any.</summary>
    /// <remarks>The page is opened first and its anti-forgery cookie sent back; a URL-encoded form gets the page's token
    /// too, so a hostile form is read past the token check (the token alone proves nothing: the key is still checked).</remarks>
    private async Task<(int Status, string? Location, string? Cookie)> SignInAsync(string body, string contentType = "application/x-www-form-urlencoded")
    {
        var (token, antiforgery) = await SignInForm.OpenAsync(factory.Server);
        var bytes = Encoding.UTF8.GetBytes(contentType.StartsWith("application/x-www-form-urlencoded", StringComparison.Ordinal)
            ? $"{body}&{SignInForm.TokenField}={Uri.EscapeDataString(token)}" : body);
        var context = await factory.Server.SendAsync(c =>
        {
            c.Request.Method = "POST";
            c.Request.Path = "/signin";
            c.Request.Headers.Cookie = antiforgery;
            if (contentType.Length > 0)
            {
                c.Request.ContentType = contentType;
            }

            c.Request.ContentLength = bytes.Length;
            c.Request.Body = new MemoryStream(bytes);
        });
        var cookie = context.Response.Headers.SetCookie.FirstOrDefault(c => c?.StartsWith("coopmarket-admin=", StringComparison.Ordinal) == true);
        return (context.Response.StatusCode, context.Response.Headers.Location.FirstOrDefault(), cookie);
    }

    private async Task<(int Status, string Body, string? ContentType)> SendAsync(string method, string path, string query, string? key)
    {
        var context = await factory.Server.SendAsync(c =>
        {
            c.Request.Method = method;
            // The web app's home page is the route with the empty template.
            c.Request.Path = PathString.FromUriComponent(path.StartsWith('/') ? path : "/" + path);
            c.Request.QueryString = new QueryString(query.Length == 0 ? null : query);
            if (key is not null)
            {
                c.Request.Headers.Authorization = $"Bearer {key}";
            }
        });
        var body = await new StreamReader(context.Response.Body).ReadToEndAsync();
        return (context.Response.StatusCode, body, context.Response.ContentType?.Split(';')[0]);
    }

    /// <summary>The query parameters the gateway's own API describes, bound by the framework.</summary>
    private IEnumerable<string> QueryParameters() =>
        factory.Services.GetRequiredService<IApiDescriptionGroupCollectionProvider>().ApiDescriptionGroups.Items
            .SelectMany(g => g.Items).SelectMany(d => d.ParameterDescriptions)
            .Where(p => p.Source == BindingSource.Query || p.Source == BindingSource.ModelBinding)
            .Select(p => p.Name);

    /// <summary>A template with each route value replaced: by <paramref name="hostile"/>'s value when it gives one,
    /// else by a real resource of <paramref name="world"/>, so hostile queries reach past the 404 into the handler.</summary>
    private static string Fill(string template, Dictionary<string, string> world, Func<string, string?> hostile)
    {
        var segments = template.Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            if (segments[i].StartsWith('{'))
            {
                var name = segments[i].Trim('{', '}', '*', '?').Split(':')[0];
                var owner = i > 0 ? segments[i - 1] : "";
                segments[i] = hostile(name) ?? (world.TryGetValue($"{owner}/{name}", out var id) ? id : world.GetValueOrDefault(name, "x"));
            }
            else if (segments[i].Contains('{', StringComparison.Ordinal))
            {
                // "{documentName}.json": the OpenAPI document.
                segments[i] = segments[i].Replace("{documentName}", hostile("documentName") ?? "v1", StringComparison.Ordinal);
            }
        }

        return string.Join('/', segments);
    }

    /// <summary>One of each resource, so every route value can name a real one.</summary>
    private async Task<Dictionary<string, string>> WorldAsync()
    {
        var admin = factory.Admin();
        var product = await factory.ProductAsync("hostile-query");
        var cooperative = await admin.CooperativeAsync("HTX tham số");
        var buyer = await admin.BuyerAsync("Người mua tham số");
        var day = factory.Today;
        var lot = await cooperative.Api.CreatedAsync($"/api/cooperatives/{cooperative.Id}/lots", new
        {
            product, quantityKg = 100, grade = "A", harvestFrom = day.AddDays(9), harvestTo = day.AddDays(19), askVndPerKg = 20_000,
        });
        var request = await buyer.Api.CreatedAsync($"/api/buyers/{buyer.Id}/requests", new
        {
            product, quantityKg = 50, deliverFrom = day.AddDays(14), deliverBy = day.AddDays(27), maxVndPerKg = 30_000,
        });
        var chain = await admin.CreatedAsync("/api/value-chains", new { name = "Chuỗi tham số", products = new[] { product } });
        var grains = factory.Services.GetRequiredService<IGrainFactory>();
        var deal = (await grains.GetGrain<IDealGrain>(request.GetProperty("deals")[0].GetProperty("id").GetString()!).GetAsync())!;
        var shipped = deal with { Id = $"{deal.Id}-shipped", TraceCode = TraceCode.New() };
        await grains.GetGrain<IDealGrain>(shipped.Id).RecordAsync(shipped, []);
        var silo = (await factory.Services.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true)).Keys.First().ToParsableString();
        return new()
        {
            ["cooperatives/id"] = cooperative.Id,
            ["buyers/id"] = buyer.Id,
            ["lots/id"] = lot.GetProperty("id").GetString()!,
            ["requests/id"] = request.GetProperty("id").GetString()!,
            ["deals/id"] = request.GetProperty("deals")[0].GetProperty("id").GetString()!,
            ["value-chains/id"] = chain.GetProperty("id").GetString()!,
            ["markets/product"] = product,
            ["code"] = "dragon-fruit",
            ["trace/code"] = shipped.TraceCode!,
            ["page"] = "1",
            ["address"] = silo,
            ["path"] = silo,
        };
    }
}
