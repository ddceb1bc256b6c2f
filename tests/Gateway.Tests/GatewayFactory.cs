using System.Net;
using System.Net.Sockets;
using CoopMarket.Grains;
using CoopMarket.Grains.Catalog;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CoopMarket.Gateway.Tests;

/// <summary>The whole embedded platform in the test process, shared by every gateway test.</summary>
public sealed class GatewayFactory : WebApplicationFactory<Program>
{
    /// <summary>The market's clock: 1 December 2026, 10:00 in Vietnam, moved only by tests that need it.</summary>
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 12, 1, 3, 0, 0, TimeSpan.Zero));

    public const string AdminKey = "test-admin-key-of-the-district";

    /// <summary>The site's configured public address, unlike the test server's own (<c>http://localhost</c>), so a test
    /// sees which of the two an absolute link was built from.</summary>
    public const string PublicBaseUrl = "https://cho.htx-tanlac.example";

    private int clients;
    public const string KnownProxy = "192.0.2.10";
    public const string KnownProxyNetwork = "198.18.0.0/15";

    public DateOnly Today => new(2026, 12, 1);

    /// <summary>A client that speaks as <paramref name="key"/> (anonymous when null).</summary>
    public Api Api(string? key = null) => new(ClientFromOwnAddress(), key);

    public Api Admin() => Api(AdminKey);

    /// <summary>A bare client that speaks as <paramref name="key"/> from an address of its own, for a client that
    /// brings its own request pipeline (the Kiota-generated one).</summary>
    public HttpClient HttpClientAs(string key)
    {
        var client = ClientFromOwnAddress();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>A product of the test's own, known to the market but not listed in the catalog, so tests never
    /// share a book with each other or with the demo data.</summary>
    public async Task<string> ProductAsync(string name, int shelfLifeDays = 18)
    {
        var code = $"test-{name}-{Guid.NewGuid():N}"[..40];
        await Services.GetRequiredService<IGrainFactory>().GetGrain<IProductGrain>(code)
            .SetAsync(new Product(code, $"Sản phẩm thử {name}", $"Test {name}", "kg", 1, 12, shelfLifeDays));
        return code;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.ConfigureServices(services =>
        {
            services.AddKeyedSingleton<TimeProvider>(MarketTime.ServiceKey, Clock);
            GrainCallCount.AddTo(services);
        });
        // Free ports, so the tests run beside a developer's own platform and beside each other.
        builder.UseSetting("Auth:AdminKey", AdminKey);
        builder.UseSetting("Web:PublicBaseUrl", PublicBaseUrl);
        // Tests send many requests from one address quickly; the limits themselves are tested with a factory of their own.
        builder.UseSetting("RateLimits:PermitsPerMinute", "100000");
        builder.UseSetting("RateLimits:AnonymousPermitsPerMinute", "100000");
        builder.UseSetting("RateLimits:BuyerRegistrationsPerAddressPerHour", "100000");
        // A proxy by address and a proxy network, from documentation ranges no test client uses for itself.
        builder.UseSetting("ForwardedHeaders:KnownProxies", KnownProxy);
        builder.UseSetting("ForwardedHeaders:KnownNetworks:0", KnownProxyNetwork);
        // Live event streams beat every second, so a test sees a heartbeat without waiting out the default 15 s.
        builder.UseSetting("Notifications:HeartbeatSeconds", "1");
        builder.UseSetting("Orleans:Mode", "Embedded");
        builder.UseSetting("Orleans:ClusterId", $"gateway-tests-{Guid.NewGuid():N}");
        builder.UseSetting("Orleans:SiloPort", FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Orleans:GatewayPort", FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>A client calling from an address of its own (documentation range 2001:db8::/32), so what one test's
    /// callers do per address — register buyers, use their allowance — never counts against another test's.</summary>
    private HttpClient ClientFromOwnAddress()
    {
        var n = Interlocked.Increment(ref clients);
        var address = IPAddress.Parse($"2001:db8:{n >> 16:x}:{n & 0xffff:x}::1");
        return new HttpClient(Server.CreateHandler(c => c.Connection.RemoteIpAddress = address)) { BaseAddress = Server.BaseAddress };
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

[CollectionDefinition(Name)]
public sealed class GatewayCollection : ICollectionFixture<GatewayFactory>
{
    public const string Name = "gateway";
}
