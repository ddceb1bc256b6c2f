using CoopMarket.Hosting;
using Microsoft.Extensions.Options;

namespace CoopMarket.Gateway.Web;

/// <summary>Warns at start-up when a distributed gateway would print QR codes that open this machine (the default
/// <c>Web:PublicBaseUrl</c> is <c>http://localhost:5080</c>): every traceability label printed from it would lead the
/// phone that scans it nowhere. A warning, not a refusal: the rest of the site works, a gateway run on one machine
/// for a trial is right to use it, and the deployment tests start distributed gateways without the setting.</summary>
internal sealed partial class PublicAddressCheck(IConfiguration configuration, IOptions<PublicSiteOptions> site, ILogger<PublicAddressCheck> logger)
    : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (OrleansSettings.From(configuration).Mode == OrleansMode.Redis && site.Value.IsLoopback)
        {
            LogLoopbackAddress(logger, site.Value.PublicBaseUrl);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Web:PublicBaseUrl is {Address}, so the QR codes on traceability labels open an address no phone " +
        "reaches: set Web__PublicBaseUrl to the address people reach the site at (deploy/README.md)")]
    private static partial void LogLoopbackAddress(ILogger logger, string address);
}
