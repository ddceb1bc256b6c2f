using System.Globalization;
using System.Net;
using System.Net.Sockets;
using CoopMarket.Grains;
using CoopMarket.Grains.Catalog;
using CoopMarket.Hosting;
using CoopMarket.Tests;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace CoopMarket.Gateway.Tests;

/// <summary>The platform in distributed mode, in this process: two silos on Redis (membership, grain state, reminders)
/// configured by the silo host's own <see cref="SiloConfiguration.UseCoopMarket"/>, and two gateways, each an Orleans
/// client of them in Redis mode (<c>Orleans:Mode=Redis</c>), as two gateway containers would be.</summary>
/// <remarks>Lighter than the deploy tests' processes, and as honest for what crosses gateways: the gateways share no
/// memory with each other or with the silos except through Orleans and Redis.</remarks>
public sealed class RedisPlatform : IAsyncLifetime
{
    public const string AdminKey = "redis-platform-admin-key";
    private const string KeySecret = "redis-platform-key-secret-of-32-characters-at-least";

    private readonly string clusterId = $"redis-platform-{Guid.NewGuid():N}";
    private readonly List<IHost> silos = [];
    private TestRedis? redis;

    /// <summary>The market's clock in the silos and gateways: 1 December 2026, 10:00 in Vietnam.</summary>
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 12, 1, 3, 0, 0, TimeSpan.Zero));

    public DateOnly Today => new(2026, 12, 1);

    public RedisGateway A { get; private set; } = null!;

    public RedisGateway B { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        redis = await TestRedis.StartAsync();
        for (var i = 0; i < 2; i++)
        {
            silos.Add(await StartSiloAsync());
        }

        A = new RedisGateway(this);
        B = new RedisGateway(this);
        await Task.WhenAll(A.ReadyAsync(), B.ReadyAsync());
    }

    public async Task DisposeAsync()
    {
        if (A is not null)
        {
            await A.DisposeAsync();
        }

        if (B is not null)
        {
            await B.DisposeAsync();
        }

        foreach (var silo in silos)
        {
            await silo.StopAsync();
            silo.Dispose();
        }

        if (redis is not null)
        {
            await redis.DisposeAsync();
        }
    }

    /// <summary>A product of the test's own, known to the market but not listed in the catalog.</summary>
    public async Task<string> ProductAsync(string name)
    {
        var code = $"test-{name}-{Guid.NewGuid():N}"[..40];
        await A.Services.GetRequiredService<IGrainFactory>().GetGrain<IProductGrain>(code)
            .SetAsync(new Product(code, $"Sản phẩm thử {name}", $"Test {name}", "kg", 1, 12, 18));
        return code;
    }

    private IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("Orleans:Mode", "Redis"),
        new("Orleans:ClusterId", clusterId),
        new("Orleans:ServiceId", clusterId),
        new("ConnectionStrings:Redis", redis!.ConnectionString),
    ];

    private async Task<IHost> StartSiloAsync()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Development, DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(
        [
            .. Settings,
            new("Orleans:SiloPort", FreePort()),
            new("Orleans:GatewayPort", FreePort()),
        ]);
        builder.Services.AddKeyedSingleton<TimeProvider>(MarketTime.ServiceKey, Clock);
        builder.UseOrleans(silo => silo.UseCoopMarket(builder.Configuration));
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private static string FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>One gateway in Redis mode. Its live streams beat only every five minutes, so an event that reaches a
    /// stream within a test's patience came by the inbox's wake-up, not by the heartbeat's reread.</summary>
    public sealed class RedisGateway(RedisPlatform platform) : WebApplicationFactory<Program>
    {
        public Api Admin() => new(CreateClient(), AdminKey);

        /// <summary>Waits until the gateway's Orleans client has joined the cluster (ready), for at most a minute.</summary>
        public async Task ReadyAsync()
        {
            using var http = CreateClient();
            for (var until = DateTime.UtcNow.AddMinutes(1); ; await Task.Delay(200))
            {
                using var response = await http.GetAsync(new Uri("/health/ready", UriKind.Relative));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }

                Assert.True(DateTime.UtcNow < until, $"the gateway was not ready in a minute: {response.StatusCode}");
            }
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.ConfigureServices(services => services.AddKeyedSingleton<TimeProvider>(MarketTime.ServiceKey, platform.Clock));
            foreach (var (key, value) in platform.Settings)
            {
                builder.UseSetting(key, value);
            }

            builder.UseSetting("Auth:AdminKey", AdminKey);
            builder.UseSetting("Auth:KeySecret", KeySecret);
            builder.UseSetting("Demo:Seed", "false");
            builder.UseSetting("RateLimits:PermitsPerMinute", "100000");
            builder.UseSetting("RateLimits:AnonymousPermitsPerMinute", "100000");
            builder.UseSetting("RateLimits:BuyerRegistrationsPerAddressPerHour", "100000");
            builder.UseSetting("Notifications:HeartbeatSeconds", "300");
        }
    }
}
