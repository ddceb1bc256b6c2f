using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using IPNetwork = System.Net.IPNetwork;

namespace CoopMarket.Gateway.Security;

/// <summary><c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c>, believed only from the proxies an operator names:
/// <c>ForwardedHeaders:KnownProxies</c> (addresses) and <c>ForwardedHeaders:KnownNetworks</c> (CIDR ranges), each a list
/// or one comma-separated value. Behind an ingress every caller arrives from the proxy's address: believing the proxy
/// lets the rate limits count real clients and marks the cookie <c>Secure</c> behind TLS; believing anyone else would
/// let a client pick the address it is counted by. With none named nobody is believed, not even loopback, which the
/// framework otherwise trusts by default.</summary>
internal static class ForwardedHeadersSetup
{
    public const string SectionName = "ForwardedHeaders";

    public static WebApplicationBuilder AddCoopMarketForwardedHeaders(this WebApplicationBuilder builder)
    {
        var (proxies, networks) = Read(builder.Configuration);
        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            proxies.ForEach(o.KnownProxies.Add);
            networks.ForEach(o.KnownIPNetworks.Add);
            // A chain (CDN → ingress → gateway) is followed hop by hop from the gateway outwards, and only while each hop
            // is a known proxy: the first address that is not one is the client, whatever it wrote further left.
            o.ForwardLimit = null;
        });
        return builder;
    }

    /// <summary>The configured proxies; a value that is no address or range stops the gateway at start, rather than
    /// leaving an operator believing a proxy is trusted when it is not.</summary>
    public static (List<IPAddress> Proxies, List<IPNetwork> Networks) Read(IConfiguration configuration)
    {
        var section = configuration.GetSection(SectionName);
        var proxies = Values(section, "KnownProxies")
            .Select(v => IPAddress.TryParse(v, out var address) ? address : throw Invalid("KnownProxies", v, "an IP address"))
            .ToList();
        var networks = Values(section, "KnownNetworks")
            .Select(v => IPNetwork.TryParse(v, out var network) ? network : throw Invalid("KnownNetworks", v, "a CIDR range such as 10.0.0.0/8"))
            .ToList();
        return (proxies, networks);
    }

    private static IEnumerable<string> Values(IConfigurationSection section, string key) =>
        section.GetSection(key).GetChildren().Select(c => c.Value).Append(section[key])
            .SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));

    private static InvalidOperationException Invalid(string key, string value, string expected) =>
        new($"{SectionName}:{key} holds '{value}', which is not {expected}.");
}
