using System.Globalization;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace CoopMarket.Grains.Notifications;

/// <summary>POSTs one notice to one webhook, signed, through a connection that only ever reaches an address
/// <see cref="WebhookAddresses"/> allows.</summary>
public sealed class WebhookSender : IDisposable
{
    public const string SignatureHeader = "X-CoopMarket-Signature";
    public const string EventIdHeader = "X-CoopMarket-Event-Id";
    public const string TimestampHeader = "X-CoopMarket-Timestamp";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly HttpClient http;

    public WebhookSender(WebhookAddresses addresses)
    {
        http = new HttpClient(new SocketsHttpHandler
        {
            // Resolve here and connect only to an allowed address, so what is checked is what is connected to.
            ConnectCallback = async (context, cancellation) =>
            {
                var allowed = await addresses.AllowedAsync(context.DnsEndPoint.Host, cancellation);
                if (allowed.Count == 0)
                {
                    throw new HttpRequestException($"The webhook's host '{context.DnsEndPoint.Host}' resolves to no address it may reach.");
                }

                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(allowed[0], context.DnsEndPoint.Port, cancellation);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
            // A redirect would reach a URL nobody checked.
            AllowAutoRedirect = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        })
        {
            // A receiver that hangs holds its webhook grain's turn: bound it.
            Timeout = TimeSpan.FromSeconds(10),
        };
    }

    /// <summary>The signature a receiver recomputes: <c>sha256=</c> and the hex HMAC-SHA256 of the body's bytes.</summary>
    public static string Sign(string secret, byte[] body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    /// <summary>Sends <paramref name="item"/>; the answer's status, or null and why when none came.</summary>
    public async Task<(int? Status, string? Error)> SendAsync(string url, string secret, string participant, InboxItem item, DateTimeOffset now)
    {
        var eventId = item.Sequence.ToString(CultureInfo.InvariantCulture);
        var timestamp = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var body = JsonSerializer.SerializeToUtf8Bytes(new WebhookEvent(eventId, participant, NoticeEvent.From(item), timestamp), Json);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json") { CharSet = "utf-8" };
        request.Headers.Add(EventIdHeader, eventId);
        request.Headers.Add(TimestampHeader, timestamp);
        request.Headers.Add(SignatureHeader, Sign(secret, body));
        try
        {
            using var response = await http.SendAsync(request);
            return ((int)response.StatusCode, response.IsSuccessStatusCode ? null : $"The receiver answered {(int)response.StatusCode}.");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or SocketException)
        {
            return (null, e.Message);
        }
    }

    public void Dispose() => http.Dispose();

    /// <summary>The body of a delivery. <paramref name="Timestamp"/> repeats the timestamp header inside what the
    /// signature covers, so a receiver can refuse an old body replayed with a new header.</summary>
    private sealed record WebhookEvent(string EventId, string Participant, NoticeEvent Event, string Timestamp);
}
