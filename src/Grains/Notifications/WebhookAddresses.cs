using System.Net;
using System.Net.Sockets;

namespace CoopMarket.Grains.Notifications;

/// <summary>Which addresses a webhook may reach: http(s) only, and outside Development only public addresses, so a
/// participant cannot make the platform call its own network (server-side request forgery).</summary>
/// <remarks>Checked when a webhook is registered and again, on the address actually connected to, at every send:
/// a name that resolved to a public address at registration may resolve to a private one later (DNS rebinding).</remarks>
public sealed class WebhookAddresses(bool allowPrivate)
{
    public const int MaxUrlLength = 2000;

    public bool AllowPrivate => allowPrivate;

    /// <summary>Why <paramref name="url"/> cannot be a webhook, or null when it can. Resolves a host name to check
    /// where it points now.</summary>
    public async Task<string?> CheckAsync(string url, CancellationToken cancellation)
    {
        if (url.Length > MaxUrlLength || !Uri.TryCreate(url, UriKind.Absolute, out var uri)
            || uri.Scheme is not ("http" or "https") || uri.UserInfo.Length > 0 || uri.Host.Length == 0)
        {
            return $"url must be an absolute http or https URL without credentials, at most {MaxUrlLength} characters.";
        }

        if (allowPrivate)
        {
            return null;
        }

        IPAddress[] addresses;
        try
        {
            addresses = IPAddress.TryParse(uri.DnsSafeHost, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(uri.DnsSafeHost, cancellation);
        }
        catch (SocketException)
        {
            return $"url's host '{uri.Host}' does not resolve.";
        }

        return addresses.Length == 0 || !addresses.All(IsPublic) ? $"url's host '{uri.Host}' is not a public address." : null;
    }

    /// <summary>The addresses of <paramref name="host"/> that may be connected to, in the resolver's order.</summary>
    public async Task<IReadOnlyList<IPAddress>> AllowedAsync(string host, CancellationToken cancellation)
    {
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellation);
        return [.. addresses.Where(a => allowPrivate || IsPublic(a))];
    }

    /// <summary>Whether <paramref name="address"/> is on the public internet: not loopback, private, link-local,
    /// shared (CGNAT), multicast, unspecified, reserved or documentation space, in IPv4 or IPv6 (mapped included).</summary>
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return !(b[0] is 0 or 10 or 127 or >= 224
                     || (b[0] == 100 && b[1] is >= 64 and <= 127)
                     || (b[0] == 169 && b[1] == 254)
                     || (b[0] == 172 && b[1] is >= 16 and <= 31)
                     || (b[0] == 192 && b[1] == 168)
                     || (b[0] == 192 && b[1] == 0 && b[2] is 0 or 2)
                     || (b[0] == 198 && b[1] is 18 or 19)
                     || (b[0] == 198 && b[1] == 51 && b[2] == 100)
                     || (b[0] == 203 && b[1] == 0 && b[2] == 113));
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return false;
        }

        var v6 = address.GetAddressBytes();
        return !(IPAddress.IsLoopback(address) || address.Equals(IPAddress.IPv6None) || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal
                 || address.IsIPv6Multicast
                 || (v6[0] & 0xfe) == 0xfc // unique local fc00::/7
                 || (v6[0] == 0x20 && v6[1] == 0x01 && v6[2] == 0x0d && v6[3] == 0xb8) // documentation 2001:db8::/32
                 || v6.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0); // ::/96: unspecified and IPv4-compatible
    }
}
