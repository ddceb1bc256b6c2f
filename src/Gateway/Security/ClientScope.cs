using System.Net;
using System.Net.Sockets;

namespace CoopMarket.Gateway.Security;

/// <summary>What a per-address limit counts a client by: an IPv4 address itself, an IPv6 client by its /64. One
/// subscriber's IPv6 network holds billions of addresses, so counting single IPv6 addresses would count nothing.</summary>
/// <remarks>Read after the forwarded headers: behind a configured proxy this is the real client's address.</remarks>
internal static class ClientScope
{
    private const int IPv6SubscriberPrefixBytes = 8;

    public static string Of(HttpContext context) => Of(context.Connection.RemoteIpAddress);

    public static string Of(IPAddress? address)
    {
        if (address is null)
        {
            // A server without addresses (the test host, a Unix socket) serves callers that are all one and the same.
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4().ToString();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, IPv6SubscriberPrefixBytes, bytes.Length - IPv6SubscriberPrefixBytes);
        return $"{new IPAddress(bytes)}/64";
    }
}
