using System.Net;
using System.Text;
using CoopMarket.Gateway.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CoopMarket.Gateway.Tests.Security;

/// <summary>Who a request comes from, as the limits and the cookie see it: the real client behind a configured proxy,
/// and the connection's own address for everyone else, whatever headers it sends.</summary>
/// <remarks>Requests go into the test server with the connection's address set, as Kestrel would set it. A limiter is
/// made per client when first seen, so each test lowers a limit briefly and uses addresses of its own.</remarks>
[Collection(GatewayCollection.Name)]
public sealed class ClientAddressTests(GatewayFactory factory)
{
    private const string Limit = "RateLimits:AnonymousPermitsPerMinute";

    [Fact]
    public async Task Behind_a_configured_proxy_each_real_client_has_its_own_limit()
    {
        var (first, second) = (TestNet3(), TestNet3());
        var statuses = await WithSettingAsync(Limit, "3", async () =>
        {
            var answers = new List<int>();
            for (var i = 0; i < 4; i++)
            {
                answers.Add(await GetProductsAsync(GatewayFactory.KnownProxy, forwardedFor: first));
            }

            // The same client through another proxy of the configured network is the same client.
            answers.Add(await GetProductsAsync("198.19.7.7", forwardedFor: $"{first}"));
            answers.Add(await GetProductsAsync(GatewayFactory.KnownProxy, forwardedFor: second));
            // A chain: the client wrote a made-up address further left; the first hop no proxy vouches for is the client.
            answers.Add(await GetProductsAsync(GatewayFactory.KnownProxy, forwardedFor: $"10.9.9.9, {first}, 198.19.0.1"));
            return answers;
        });

        Assert.Equal([200, 200, 200, 429, 429, 200, 429], statuses);
    }

    [Fact]
    public async Task A_client_that_is_no_configured_proxy_is_counted_by_its_own_address_whatever_it_forwards()
    {
        // Loopback too: the framework trusts it by default, and a sidecar or another process on the host is no proxy of ours.
        foreach (var peer in new[] { TestNet3(), "127.0.0.1" })
        {
            var statuses = await WithSettingAsync(Limit, "3", async () =>
            {
                var answers = new List<int>();
                for (var i = 0; i < 5; i++)
                {
                    answers.Add(await GetProductsAsync(peer, forwardedFor: TestNet3()));
                }

                return answers;
            });

            Assert.Equal([200, 200, 200, 429, 429], statuses);
        }
    }

    [Fact]
    public async Task An_IPv6_client_is_counted_by_its_64_bit_network()
    {
        var network = $"2001:db8:{Random.Shared.Next(1, 0xffff):x}:{Random.Shared.Next(1, 0xffff):x}";
        var statuses = await WithSettingAsync(Limit, "2", async () => new[]
        {
            await GetProductsAsync($"{network}::1"),
            await GetProductsAsync($"{network}::2"),
            await GetProductsAsync($"{network}:0:dead:beef:1"),
            await GetProductsAsync($"2001:db8:{Random.Shared.Next(1, 0xffff):x}::1"),
        });

        Assert.Equal([200, 200, 429, 200], statuses);
    }

    [Fact]
    public async Task The_admin_cookie_is_Secure_when_a_configured_proxy_says_the_client_used_TLS()
    {
        Assert.Contains("secure", await SignInCookieAsync(GatewayFactory.KnownProxy, "https"), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", await SignInCookieAsync(GatewayFactory.KnownProxy, null), StringComparison.OrdinalIgnoreCase);
        // Only a proxy is believed about the scheme: a client on plain HTTP claiming TLS still talks plain HTTP.
        Assert.DoesNotContain("secure", await SignInCookieAsync(TestNet3(), "https"), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Buyer_self_registration_is_limited_per_client_address_per_hour()
    {
        var (first, second) = (TestNet3(), TestNet3());
        var answers = await WithSettingAsync("RateLimits:BuyerRegistrationsPerAddressPerHour", "2", async () => new[]
        {
            await RegisterBuyerAsync(first, null),
            await RegisterBuyerAsync(first, null),
            await RegisterBuyerAsync(first, null),
            await RegisterBuyerAsync(second, null),
            // The district office registering a buyer from the same address is not a self-registration.
            await RegisterBuyerAsync(first, GatewayFactory.AdminKey),
        });

        Assert.Equal([201, 201, 429, 201, 201], answers.Select(a => a.Status));
        Assert.True(answers[2].RetryAfterSeconds > 60, $"Retry-After {answers[2].RetryAfterSeconds} s for an hourly limit");
        Assert.Equal(10, new RateLimitOptions().BuyerRegistrationsPerAddressPerHour);
    }

    [Fact]
    public async Task The_web_app_s_registration_form_counts_against_the_same_hourly_allowance_as_the_api()
    {
        var client = TestNet3();
        var answers = await WithSettingAsync("RateLimits:BuyerRegistrationsPerAddressPerHour", "2", async () => new[]
        {
            (await RegisterBuyerAsync(client, null)).Status,
            await PostRegistrationFormAsync(client),
            await PostRegistrationFormAsync(client),
            (await RegisterBuyerAsync(client, null)).Status,
        });

        // The form is refused without its anti-forgery token, but only after the attempt was counted; then both ways
        // in are closed to that address for the hour.
        Assert.Equal([201, 400, 429, 429], answers);
    }

    [Theory]
    [InlineData("ForwardedHeaders:KnownProxies", "10.0.0.1, not-an-address")]
    [InlineData("ForwardedHeaders:KnownNetworks:0", "10.0.0.0/33")]
    [InlineData("ForwardedHeaders:KnownNetworks", "10.0.0.1")]
    public void A_proxy_setting_that_names_no_address_stops_the_gateway_at_start(string key, string value)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new(key, value)]).Build();

        var error = Assert.Throws<InvalidOperationException>(() => ForwardedHeadersSetup.Read(configuration));
        Assert.Contains(key.Split(':')[1], error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Proxies_are_read_from_a_list_or_from_one_comma_separated_value()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(
        [
            new("ForwardedHeaders:KnownProxies", "10.0.0.1, 10.0.0.2"),
            new("ForwardedHeaders:KnownNetworks:0", "172.16.0.0/12"),
            new("ForwardedHeaders:KnownNetworks:1", "fd00::/8"),
        ]).Build();

        var (proxies, networks) = ForwardedHeadersSetup.Read(configuration);

        Assert.Equal(["10.0.0.1", "10.0.0.2"], proxies.Select(p => p.ToString()));
        Assert.Equal(["172.16.0.0/12", "fd00::/8"], networks.Select(n => n.ToString()));
    }

    /// <summary>A fresh client address from TEST-NET-3, so no other test's limiter counts it.</summary>
    private static int lastTestNet3Host;

    /// <summary>An address of its own each time, so the per-address counts of one test never meet another's.</summary>
    private static string TestNet3() => $"203.0.113.{Interlocked.Increment(ref lastTestNet3Host)}";

    private async Task<int> GetProductsAsync(string peer, string? forwardedFor = null) =>
        (await SendAsync(peer, "GET", "/api/products", c =>
        {
            if (forwardedFor is not null)
            {
                c.Request.Headers["X-Forwarded-For"] = forwardedFor;
            }
        })).Response.StatusCode;

    private async Task<string> SignInCookieAsync(string peer, string? forwardedProto)
    {
        void From(HttpContext c)
        {
            c.Connection.RemoteIpAddress = IPAddress.Parse(peer);
            if (forwardedProto is not null)
            {
                c.Request.Headers["X-Forwarded-Proto"] = forwardedProto;
            }
        }

        var (token, antiforgery) = await SignInForm.OpenAsync(factory.Server, From);
        var form = Encoding.UTF8.GetBytes($"key={GatewayFactory.AdminKey}&returnUrl=%2Fdashboard%2F&{SignInForm.TokenField}={Uri.EscapeDataString(token)}");
        var context = await SendAsync(peer, "POST", "/signin", c =>
        {
            c.Request.Headers.Cookie = antiforgery;
            c.Request.ContentType = "application/x-www-form-urlencoded";
            c.Request.Body = new MemoryStream(form);
            if (forwardedProto is not null)
            {
                c.Request.Headers["X-Forwarded-Proto"] = forwardedProto;
            }
        });
        Assert.Equal(302, context.Response.StatusCode);
        return context.Response.Headers.SetCookie.ToString();
    }

    private async Task<int> PostRegistrationFormAsync(string client)
    {
        using var http = new HttpClient(factory.Server.CreateHandler(c => c.Connection.RemoteIpAddress = IPAddress.Parse(GatewayFactory.KnownProxy)))
        {
            BaseAddress = factory.Server.BaseAddress,
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/buyer/register", UriKind.Relative))
        {
            Content = new FormUrlEncodedContent([new("name", "Người mua tự đăng ký"), new("kind", "wholesaler"), new("province", "Hà Nội")]),
        };
        request.Headers.Add("X-Forwarded-For", client);
        using var response = await http.SendAsync(request);
        return (int)response.StatusCode;
    }

    private async Task<(int Status, double RetryAfterSeconds)> RegisterBuyerAsync(string client, string? key)
    {
        // Through an HTTP client: the handler reads its JSON body from the request pipe, which only the client fills.
        using var http = new HttpClient(factory.Server.CreateHandler(c => c.Connection.RemoteIpAddress = IPAddress.Parse(GatewayFactory.KnownProxy)))
        {
            BaseAddress = factory.Server.BaseAddress,
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/buyers", UriKind.Relative))
        {
            Content = new StringContent("""{"name":"Người mua tự đăng ký","kind":"wholesaler","province":"Hà Nội"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Forwarded-For", client);
        if (key is not null)
        {
            request.Headers.Authorization = new("Bearer", key);
        }

        using var response = await http.SendAsync(request);
        return ((int)response.StatusCode, response.Headers.RetryAfter?.Delta?.TotalSeconds ?? 0);
    }

    private Task<HttpContext> SendAsync(string peer, string method, string path, Action<HttpContext> configure) =>
        factory.Server.SendAsync(c =>
        {
            c.Connection.RemoteIpAddress = IPAddress.Parse(peer);
            c.Request.Method = method;
            c.Request.Path = path;
            configure(c);
        });

    private async Task<T> WithSettingAsync<T>(string key, string value, Func<Task<T>> test)
    {
        // Set, then reloaded as a changed settings file would be: the limits are validated options, read through a monitor.
        var configuration = (IConfigurationRoot)factory.Services.GetRequiredService<IConfiguration>();
        var before = configuration[key];
        configuration[key] = value;
        configuration.Reload();
        try
        {
            return await test();
        }
        finally
        {
            configuration[key] = before;
            configuration.Reload();
        }
    }
}
