using CoopMarket.Gateway.Web;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CoopMarket.Gateway.Tests.Deployment;

/// <summary>A distributed gateway left with the default public address starts, and says at once that the QR codes on
/// the labels it prints open an address no phone reaches.</summary>
public sealed class PublicAddressCheckTests
{
    [Theory]
    [InlineData("Redis", null, true)]
    [InlineData("Redis", "http://127.0.0.1:8080", true)]
    [InlineData("Redis", "https://cho.htx-tanlac.example/trace", false)]
    [InlineData("Embedded", null, false)]
    public async Task A_distributed_gateway_warns_at_start_when_its_QR_codes_open_this_machine(string mode, string? address, bool warns)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Orleans:Mode"] = mode,
            ["ConnectionStrings:Redis"] = "127.0.0.1:1",
        }).Build();
        var site = address is null ? new PublicSiteOptions() : new PublicSiteOptions { PublicBaseUrl = address };
        var log = new Warnings();

        await new PublicAddressCheck(configuration, Options.Create(site), log).StartAsync(CancellationToken.None);

        Assert.Equal(warns, log.Messages.Any(m => m.Contains("Web__PublicBaseUrl", StringComparison.Ordinal)));
    }

    private sealed class Warnings : ILogger<PublicAddressCheck>
    {
        public List<string> Messages { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.Warning)
            {
                Messages.Add(formatter(state, exception));
            }
        }
    }
}
