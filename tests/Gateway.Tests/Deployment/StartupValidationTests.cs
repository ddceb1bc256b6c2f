using System.Diagnostics;

namespace CoopMarket.Gateway.Tests.Deployment;

/// <summary>A gateway of a real deployment started without its secrets stops at once and names the missing setting,
/// rather than run and hand out keys that the other gateways never accept.</summary>
public sealed class StartupValidationTests
{
    private const string AdminKey = "an-admin-key-long-enough-for-production";
    private const string KeySecret = "a-key-secret-that-is-long-enough-for-hmac-keys";

    [Theory]
    [InlineData(null, AdminKey, "Auth:KeySecret", "Auth:AdminKey")]
    [InlineData("too-short", AdminKey, "Auth:KeySecret", "Auth:AdminKey")]
    [InlineData(KeySecret, null, "Auth:AdminKey", "Auth:KeySecret")]
    public async Task A_gateway_in_Redis_mode_without_a_secret_exits_naming_it(string? keySecret, string? adminKey, string named, string notNamed)
    {
        var (exitCode, output) = await RunGatewayAsync(new()
        {
            ["Orleans__Mode"] = "Redis",
            // Nothing listens there: the gateway must refuse before it tries to reach the cluster.
            ["ConnectionStrings__Redis"] = "127.0.0.1:1",
            ["Auth__KeySecret"] = keySecret,
            ["Auth__AdminKey"] = adminKey,
        });

        Assert.NotEqual(0, exitCode);
        Assert.Contains(named, output, StringComparison.Ordinal);
        Assert.DoesNotContain(notNamed, output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("RateLimits__PermitsPerMinute", "0", "RateLimits:PermitsPerMinute")]
    [InlineData("RateLimits__BuyerRegistrationsPerAddressPerHour", "-3", "RateLimits:BuyerRegistrationsPerAddressPerHour")]
    public async Task A_gateway_with_a_limit_below_one_exits_naming_it(string variable, string value, string named)
    {
        var (exitCode, output) = await RunGatewayAsync(new()
        {
            ["Orleans__Mode"] = "Redis",
            ["ConnectionStrings__Redis"] = "127.0.0.1:1",
            ["Auth__KeySecret"] = KeySecret,
            ["Auth__AdminKey"] = AdminKey,
            [variable] = value,
        });

        Assert.NotEqual(0, exitCode);
        Assert.Contains(named, output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Auth__UnverifiedBuyerOpenKg", "0", "Auth:UnverifiedBuyerOpenKg")]
    [InlineData("Auth__UnverifiedBuyerOpenKg", "0.0001", "Auth:UnverifiedBuyerOpenKg")]
    [InlineData("Auth__UnverifiedBuyerOpenKg", "a tonne", "Auth:UnverifiedBuyerOpenKg")]
    [InlineData("Bench__FloorEndpoint", "sometimes", "Bench:FloorEndpoint")]
    [InlineData("Demo__Seed", "perhaps", "Demo:Seed")]
    [InlineData("Web__PublicBaseUrl", "cho.htx-tanlac.example/trace", "Web:PublicBaseUrl")]
    public async Task A_gateway_with_a_setting_it_cannot_use_exits_naming_it(string variable, string value, string named)
    {
        // Nothing listens at the cluster's address: only the setting can stop the gateway before it waits for it.
        var (exitCode, output) = await RunGatewayAsync(new()
        {
            ["Orleans__Mode"] = "Redis",
            ["ConnectionStrings__Redis"] = "127.0.0.1:1",
            ["Auth__KeySecret"] = KeySecret,
            ["Auth__AdminKey"] = AdminKey,
            [variable] = value,
        });

        Assert.NotEqual(0, exitCode);
        Assert.Contains(named, output, StringComparison.Ordinal);
    }

    /// <summary>Runs the built gateway as an operator would, in the Production environment, and waits for it to exit.</summary>
    private static async Task<(int ExitCode, string Output)> RunGatewayAsync(Dictionary<string, string?> settings)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "CoopMarket.Gateway.dll"));
        foreach (var inherited in start.Environment.Keys.Where(k => k.StartsWith("Auth__", StringComparison.OrdinalIgnoreCase)
            || k.StartsWith("Orleans__", StringComparison.OrdinalIgnoreCase) || k.StartsWith("ConnectionStrings__", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(inherited);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        foreach (var (key, value) in settings)
        {
            if (value is not null)
            {
                start.Environment[key] = value;
            }
        }

        using var gateway = Process.Start(start)!;
        var output = gateway.StandardOutput.ReadToEndAsync();
        var error = gateway.StandardError.ReadToEndAsync();
        try
        {
            await gateway.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException)
        {
            gateway.Kill(entireProcessTree: true);
            throw;
        }

        return (gateway.ExitCode, await output + await error);
    }
}
