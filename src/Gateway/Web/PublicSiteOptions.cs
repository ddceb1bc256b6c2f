namespace CoopMarket.Gateway.Web;

/// <summary>The <c>Web</c> section: the address people reach the site at, which absolute links outside the site (the QR
/// code printed on a traceability label) are built from.</summary>
/// <remarks>Never the request's <c>Host</c> header: anyone can send any Host, and a forged one would make a printed label
/// open a site of the forger's choosing.</remarks>
internal sealed class PublicSiteOptions
{
    public const string SectionName = "Web";

    /// <summary>Where <c>dotnet run</c> serves the embedded platform; a deployment sets its own public address.</summary>
    public string PublicBaseUrl { get; init; } = "http://localhost:5080";

    /// <summary>Whether the address names this machine, as the default does: a phone that scans a label cannot reach it.</summary>
    public bool IsLoopback => Uri.TryCreate(PublicBaseUrl, UriKind.Absolute, out var uri) && uri.IsLoopback;

    /// <summary>The absolute address of <paramref name="path"/> (starting with <c>/</c>) on the public site, under any
    /// path the site is published at.</summary>
    public string AddressOf(string path) => $"{PublicBaseUrl.TrimEnd('/')}{path}";

    public static void AddTo(IServiceCollection services) => services.AddOptions<PublicSiteOptions>().BindConfiguration(SectionName)
        .Validate(o => IsSiteAddress(o.PublicBaseUrl),
            "Web:PublicBaseUrl (Web__PublicBaseUrl) must be an absolute http or https address without credentials, query or fragment, e.g. https://market.example.")
        .ValidateOnStart();

    private static bool IsSiteAddress(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && uri.UserInfo.Length == 0 && uri.Query.Length == 0 && uri.Fragment.Length == 0;
}
