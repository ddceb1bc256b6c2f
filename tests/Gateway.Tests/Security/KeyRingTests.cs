using System.Net;
using CoopMarket.Gateway.Security;
using CoopMarket.Hosting;
using CoopMarket.Tests;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace CoopMarket.Gateway.Tests.Security;

/// <summary>The admin cookie in Redis mode: any gateway accepts what another signed, and a restarted one still does.</summary>
/// <remarks>A Redis-mode gateway cannot start without silos, and a second silo in this process is trouble, so these hosts
/// are plain web hosts with the gateway's own security registration (<see cref="SecuritySetup.AddCoopMarketSecurity"/>,
/// which sets up the key ring), its sign-in page, and an admin-only page standing in for the dashboard. Each has its own
/// content root, as each container has. The home folder is one per process here, so a host with another
/// <c>Orleans:ServiceId</c>, whose ring is elsewhere in Redis, must refuse the cookie: that proves the ring comes from Redis.
/// Needs a Redis server (<c>COOPMARKET_TEST_REDIS</c>, by default 127.0.0.1:6379; <c>.ci/run</c> starts one).</remarks>
public sealed class KeyRingTests : IAsyncLifetime
{
    // Redis mode refuses to start without an admin key of 16 characters or more and a shared key secret (AuthOptions).
    private const string AdminKey = "key-ring-tests-admin-key";
    private const string KeySecret = "key-ring-tests-key-secret-of-32-characters-at-least";

    // The server COOPMARKET_TEST_REDIS names, or one of its own: a fresh machine with redis-server installed passes.
    private TestRedis testRedis = null!;

    private string RedisConnectionString => testRedis.ConnectionString;

    private readonly string serviceId = $"key-ring-tests-{Guid.NewGuid():N}";
    private readonly string otherServiceId = $"key-ring-tests-{Guid.NewGuid():N}";
    private readonly List<string> contentRoots = [];

    [Fact]
    public async Task Gateways_with_different_home_folders_accept_each_others_admin_cookie_and_it_survives_a_restart()
    {
        string cookie;
        await using (var first = await StartGatewayAsync(serviceId))
        {
            cookie = await SignInAsync(first);
            Assert.Equal(HttpStatusCode.OK, await DashboardAsync(first, cookie));

            await using var second = await StartGatewayAsync(serviceId);
            Assert.Equal(HttpStatusCode.OK, await DashboardAsync(second, cookie));
        }

        await using (var restarted = await StartGatewayAsync(serviceId))
        {
            Assert.Equal(HttpStatusCode.OK, await DashboardAsync(restarted, cookie));
        }

        await using (var otherService = await StartGatewayAsync(otherServiceId))
        {
            Assert.Equal(HttpStatusCode.Redirect, await DashboardAsync(otherService, cookie));
        }

        await using var redis = await ConnectionMultiplexer.ConnectAsync(RedisConnectionString);
        Assert.True(await redis.GetDatabase().ListLengthAsync(DataProtectionSetup.KeyRingKey(serviceId)) >= 1);
    }

    public async Task InitializeAsync() => testRedis = await TestRedis.StartAsync();

    public async Task DisposeAsync()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(RedisConnectionString);
        await redis.GetDatabase().KeyDeleteAsync([DataProtectionSetup.KeyRingKey(serviceId), DataProtectionSetup.KeyRingKey(otherServiceId)]);
        contentRoots.ForEach(root => Directory.Delete(root, recursive: true));
        await testRedis.DisposeAsync();
    }

    private async Task<WebApplication> StartGatewayAsync(string service)
    {
        var contentRoot = Directory.CreateTempSubdirectory("coopmarket-gateway-").FullName;
        contentRoots.Add(contentRoot);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = contentRoot, EnvironmentName = "Production" });
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(
        [
            new("Orleans:Mode", "Redis"),
            new("Orleans:ServiceId", service),
            new("ConnectionStrings:Redis", RedisConnectionString),
            new("Auth:AdminKey", AdminKey),
            new("Auth:KeySecret", KeySecret),
        ]);
        // As the Orleans client registers it in Redis mode (ClientConfiguration).
        builder.Services.AddSingleton(new SharedRedis(RedisConnectionString));
        builder.Services.AddProblemDetails();
        builder.AddCoopMarketSecurity();
        var app = builder.Build();
        app.UseCoopMarketSecurity();
        app.MapSignIn();
        app.MapGet("/dashboard/", () => "dashboard").RequireAuthorization(SecuritySetup.AdminPolicy);
        await app.StartAsync();
        return app;
    }

    private static async Task<string> SignInAsync(WebApplication gateway)
    {
        using var http = gateway.GetTestClient();
        using var form = SignInForm.Post(await SignInForm.OpenAsync(http), ("key", AdminKey), ("returnUrl", "/dashboard/"));
        using var response = await http.SendAsync(form);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("coopmarket-admin=", StringComparison.Ordinal)).Split(';')[0];
    }

    private static async Task<HttpStatusCode> DashboardAsync(WebApplication gateway, string cookie)
    {
        using var http = gateway.GetTestClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/dashboard/", UriKind.Relative));
        request.Headers.Add("Cookie", cookie);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }
}
