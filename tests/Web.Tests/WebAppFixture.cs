using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using CoopMarket.Gateway.Contracts;
using CoopMarket.Grains;
using CoopMarket.Grains.Catalog;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;

namespace CoopMarket.Web.Tests;

/// <summary>The gateway on a real Kestrel port (a browser needs a socket; the test server has none) and one headless
/// Chromium, shared by every test of the collection. The browser is Debian's <c>chromium</c> package: nothing is
/// ever downloaded.</summary>
public sealed partial class WebAppFixture : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string AdminKey = "web-tests-admin-key-of-the-district";
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? playwright;

    /// <summary>The market's clock: 1 December 2026, 10:00 in Vietnam.</summary>
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 12, 1, 3, 0, 0, TimeSpan.Zero));

    public Uri Address { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where screenshots go: the test's output folder, never the repository.</summary>
    public static string Screenshots { get; } = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    public async Task InitializeAsync()
    {
        UseKestrel(0);
        StartServer();
        Address = new Uri(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(a => a.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal)).First());
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        playwright = await Playwright.CreateAsync();
        // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
        Browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = ChromiumPath, Headless = true, Args = ["--no-sandbox"] });
        Directory.CreateDirectory(Screenshots);
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await Browser.DisposeAsync();
        playwright?.Dispose();
        await DisposeAsync();
    }

    /// <summary>A fresh browser profile (no cookies) at the given size; Vietnamese, as the app's users read it.</summary>
    public async Task<IPage> PageAsync(int width = 1280, int height = 900)
    {
        var context = await Browser.NewContextAsync(new() { BaseURL = Address.ToString(), ViewportSize = new() { Width = width, Height = height }, Locale = "vi-VN" });
        return await context.NewPageAsync();
    }

    /// <summary>A product of the test's own in the catalog, in season all year, so no test shares a book with another.</summary>
    public async Task<Product> ProductAsync(string nameVi)
    {
        var code = $"web-{Guid.NewGuid():N}"[..20];
        var product = new Product(code, nameVi, $"Test {code}", "kg", 1, 12, 20);
        await Services.GetRequiredService<IGrainFactory>().GetGrain<ICatalogGrain>(ICatalogGrain.Key).PutAsync(product);
        return product;
    }

    /// <summary>Registers a cooperative as the district office does, through the API, and answers its id and key.</summary>
    public async Task<(string Id, string Key)> CooperativeAsync(string name)
    {
        using var http = new HttpClient { BaseAddress = Address };
        http.DefaultRequestHeaders.Authorization = new("Bearer", AdminKey);
        using var response = await http.PostAsJsonAsync("/api/cooperatives",
            new RegisterCooperative(name, "HTX", "Mường Khến", "Tân Lạc", "Hòa Bình", 30, [new CertificationDto("VietGAP", null, new DateOnly(2028, 1, 1))]));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var cooperative = await response.Content.ReadFromJsonAsync<CooperativeDto>();
        return (cooperative!.Id, cooperative.ApiKey!);
    }

    /// <summary>Registers a buyer as the district office does (so verified), and answers its id and key.</summary>
    public async Task<(string Id, string Key)> BuyerAsync(string name)
    {
        using var http = new HttpClient { BaseAddress = Address };
        http.DefaultRequestHeaders.Authorization = new("Bearer", AdminKey);
        using var response = await http.PostAsJsonAsync("/api/buyers", new RegisterBuyer(name, "restaurant", "Hòa Bình"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var buyer = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (buyer.GetProperty("id").GetString()!, buyer.GetProperty("apiKey").GetString()!);
    }

    /// <summary>Signs a page in with a key through the sign-in form, as a person would.</summary>
    public static async Task SignInAsync(IPage page, string key)
    {
        await page.GotoAsync("/signin");
        await page.GetByLabel("Khóa truy cập").FillAsync(key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Đăng nhập" }).ClickAsync();
        await LeftSignInAsync(page);
    }

    /// <summary>Waits for the page to leave the sign-in form, as a sign-in that worked does. One that did not says where
    /// the browser stayed and what the page said: a bare timeout, once in a while on a loaded machine, told nothing of
    /// whether the form refused the key, the token, or the server failed.</summary>
    public static async Task LeftSignInAsync(IPage page)
    {
        try
        {
            await page.WaitForURLAsync(SignedIn());
        }
        catch (TimeoutException e)
        {
            var said = await page.Locator("body").InnerTextAsync(new() { Timeout = 5_000 });
            throw new TimeoutException($"Still at {page.Url} after signing in; the page said: {said[..Math.Min(said.Length, 600)]}", e);
        }
    }

    [GeneratedRegex("^(?!.*/signin).*$")]
    private static partial Regex SignedIn();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.ConfigureServices(services => services.AddKeyedSingleton<TimeProvider>(MarketTime.ServiceKey, Clock));
        builder.UseSetting("Auth:AdminKey", AdminKey);
        builder.UseSetting("Demo:Seed", "false");
        builder.UseSetting("RateLimits:PermitsPerMinute", "100000");
        builder.UseSetting("RateLimits:AnonymousPermitsPerMinute", "100000");
        builder.UseSetting("RateLimits:BuyerRegistrationsPerAddressPerHour", "100000");
        builder.UseSetting("Orleans:Mode", "Embedded");
        builder.UseSetting("Orleans:ClusterId", $"web-tests-{Guid.NewGuid():N}");
        builder.UseSetting("Orleans:SiloPort", FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Orleans:GatewayPort", FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

[CollectionDefinition(Name)]
public sealed class WebCollection : ICollectionFixture<WebAppFixture>
{
    public const string Name = "web";
}
