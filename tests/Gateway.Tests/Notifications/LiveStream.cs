using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CoopMarket.Gateway.Tests.Notifications;

/// <summary>A Server-Sent Events client reading one stream line by line, as a browser's EventSource would.</summary>
internal sealed class LiveStream : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private readonly HttpClient http;
    private readonly HttpResponseMessage response;
    private readonly StreamReader? reader;

    private LiveStream(HttpClient http, HttpResponseMessage response, StreamReader? reader)
    {
        this.http = http;
        this.response = response;
        this.reader = reader;
    }

    public HttpStatusCode Status => response.StatusCode;

    public string? ContentType => response.Content.Headers.ContentType?.MediaType;

    public static Task<LiveStream> OpenAsync(WebApplicationFactory<Program> gateway, string path, string key, string? lastEventId) =>
        OpenAsync(gateway, path, lastEventId, r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key));

    /// <summary>A stream opened by a caller that signs its request its own way, as a browser sends the web app's cookie.</summary>
    public static Task<LiveStream> OpenAsync(WebApplicationFactory<Program> gateway, string path, string? lastEventId, Action<HttpRequestMessage> sign) =>
        OpenAsync(gateway.CreateClient(), path, lastEventId, sign);

    /// <summary>A stream opened through <paramref name="http"/> as it is (e.g. a browser holding a cookie); the stream
    /// owns the client from now on.</summary>
    public static async Task<LiveStream> OpenAsync(HttpClient http, string path, string? lastEventId, Action<HttpRequestMessage>? sign = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        sign?.Invoke(request);
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var reader = response.IsSuccessStatusCode ? new StreamReader(await response.Content.ReadAsStreamAsync()) : null;
        return new LiveStream(http, response, reader);
    }

    /// <summary>The next event, skipping comments (heartbeats).</summary>
    public async Task<(string Id, string Kind, JsonElement Data)> NextEventAsync()
    {
        using var patience = new CancellationTokenSource(Patience);
        string? id = null, kind = null, data = null;
        while (true)
        {
            var line = await reader!.ReadLineAsync(patience.Token) ?? throw new EndOfStreamException("The stream ended.");
            if (line.Length == 0 && data is not null)
            {
                return (id!, kind!, JsonDocument.Parse(data).RootElement.Clone());
            }

            if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                id = line[4..];
            }
            else if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                kind = line[7..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data = line[6..];
            }
        }
    }

    /// <summary>Whether a heartbeat comment comes before any event.</summary>
    public async Task<bool> HeartbeatAsync()
    {
        using var patience = new CancellationTokenSource(Patience);
        while (await reader!.ReadLineAsync(patience.Token) is { } line)
        {
            if (line == ": heartbeat")
            {
                return true;
            }

            if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>The ids of the events the stream sends until it ends; fails when it is still open after the patience.</summary>
    public async Task<List<string>> EventIdsUntilEndAsync()
    {
        using var patience = new CancellationTokenSource(Patience);
        var ids = new List<string>();
        while (await reader!.ReadLineAsync(patience.Token) is { } line)
        {
            if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                ids.Add(line[4..]);
            }
        }

        return ids;
    }

    public void Dispose()
    {
        reader?.Dispose();
        response.Dispose();
        http.Dispose();
    }
}
