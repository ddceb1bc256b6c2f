using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace CoopMarket.Tests;

/// <summary>A webhook receiver on 127.0.0.1 at a free port that fails its first <paramref name="failures"/> calls
/// (and as many more as <see cref="FailNext"/> asks) with a 500, then takes each event, checking its signature with
/// <see cref="Secret"/> as a receiver would: <c>sha256=</c> and the hex HMAC-SHA256 of the body's bytes.</summary>
internal sealed class WebhookReceiver : IDisposable
{
    private readonly HttpListener listener = new();
    private readonly ConcurrentDictionary<string, int> accepted = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> received = new();
    private int failuresLeft;
    private int calls;
    private int badSignatures;

    public WebhookReceiver(int failures)
    {
        failuresLeft = failures;
        Port = FreePort();
        listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        // The same receiver by name, for the test that a name resolving to loopback is refused at send time.
        listener.Prefixes.Add($"http://localhost:{Port}/");
        listener.Start();
        _ = ServeAsync();
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}/hook";

    public string? Secret { get; set; }

    public int Calls => Volatile.Read(ref calls);

    public int BadSignatures => Volatile.Read(ref badSignatures);

    /// <summary>How many times each event id was taken (answered 2xx).</summary>
    public IReadOnlyDictionary<string, int> Accepted => accepted;

    /// <summary>The event id of every call, in the order the calls came, failed ones included.</summary>
    public IReadOnlyList<string> Received => [.. received];

    /// <summary>Fails the next <paramref name="calls"/> calls, whatever was left of earlier failures.</summary>
    public void FailNext(int calls) => Volatile.Write(ref failuresLeft, calls);

    public void Dispose() => listener.Close();

    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            received.Enqueue(context.Request.Headers["X-CoopMarket-Event-Id"] ?? "");
            Interlocked.Increment(ref calls);
            var signed = Secret is { } secret && context.Request.Headers["X-CoopMarket-Signature"] == "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body.ToArray()))
                && context.Request.Headers["X-CoopMarket-Timestamp"] is { Length: > 0 };
            if (!signed)
            {
                Interlocked.Increment(ref badSignatures);
            }

            if (Interlocked.Decrement(ref failuresLeft) >= 0)
            {
                context.Response.StatusCode = 500;
            }
            else
            {
                accepted.AddOrUpdate(context.Request.Headers["X-CoopMarket-Event-Id"] ?? "", 1, (_, n) => n + 1);
                context.Response.StatusCode = 204;
            }

            context.Response.Close();
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
