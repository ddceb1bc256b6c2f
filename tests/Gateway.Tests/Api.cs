using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace CoopMarket.Gateway.Tests;

/// <summary>A small client for the market's HTTP contract, speaking raw JSON so tests see exactly what clients see.</summary>
public sealed class Api(HttpClient http, string? key = null)
{
    /// <summary>The key this client speaks as, for a test that builds its own request.</summary>
    public string? Key => key;

    /// <summary>The same client speaking as another key.</summary>
    public Api As(string? otherKey) => new(http, otherKey);

    public async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> PostAsync(string path, object body, string? key = null) =>
        await SendAsync(HttpMethod.Post, path, JsonContent.Create(body), key);

    public async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> PostRawAsync(string path, string json, string? key = null) =>
        await SendAsync(HttpMethod.Post, path, new StringContent(json, Encoding.UTF8, "application/json"), key);

    public async Task<(HttpStatusCode Status, JsonElement Body)> PutAsync(string path, object body)
    {
        var (status, json, _) = await SendAsync(HttpMethod.Put, path, JsonContent.Create(body), null);
        return (status, json);
    }

    public async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(string path)
    {
        var (status, body, _) = await SendAsync(HttpMethod.Get, path, null, null);
        return (status, body);
    }

    public Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> GetWithResponseAsync(string path) =>
        SendAsync(HttpMethod.Get, path, null, null);

    /// <summary>The status of a stream (an event stream never ends), read from its headers; the stream is then closed.</summary>
    public async Task<HttpStatusCode> StreamStatusAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        if (key is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        }

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        return response.StatusCode;
    }

    public Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> DeleteWithResponseAsync(string path) =>
        SendAsync(HttpMethod.Delete, path, null, null);

    public async Task<(HttpStatusCode Status, JsonElement Body)> DeleteAsync(string path)
    {
        var (status, body, _) = await SendAsync(HttpMethod.Delete, path, null, null);
        return (status, body);
    }

    public async Task<JsonElement> CreatedAsync(string path, object body, string? key = null)
    {
        var (status, json, _) = await PostAsync(path, body, key);
        Assert.True(status == HttpStatusCode.Created, $"POST {path} answered {(int)status}: {json}");
        return json;
    }

    /// <summary>Registers a cooperative (this client must be the administrator) and returns a client speaking as it.</summary>
    public async Task<Participant> CooperativeAsync(string name = "HTX thử nghiệm", string commune = "Đông Lai")
    {
        var created = await CreatedAsync("/api/cooperatives", new { name, kind = "HTX", commune, district = "Tân Lạc", province = "Hòa Bình", members = 20 });
        return new Participant(created.GetProperty("id").GetString()!, As(created.GetProperty("apiKey").GetString()));
    }

    /// <summary>Registers a buyer (verified when this client is the administrator) and returns a client speaking as it.</summary>
    public async Task<Participant> BuyerAsync(string name = "Siêu thị thử nghiệm", string province = "Hà Nội")
    {
        var created = await CreatedAsync("/api/buyers", new { name, kind = "supermarket", province });
        return new Participant(created.GetProperty("id").GetString()!, As(created.GetProperty("apiKey").GetString()));
    }

    private readonly string? key = key;

    private async Task<(HttpStatusCode, JsonElement, HttpResponseMessage)> SendAsync(HttpMethod method, string path, HttpContent? content, string? idempotencyKey)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = content };
        if (this.key is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", this.key);
        }

        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        // Headers first: a streaming endpoint (the dashboard's trace) never ends its body, and its status is what counts.
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        string text;
        using (var reading = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            try
            {
                text = await response.Content.ReadAsStringAsync(reading.Token);
            }
            catch (OperationCanceledException) when (reading.IsCancellationRequested)
            {
                text = "";
            }
        }

        var isJson = response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.Ordinal) == true;
        var json = text.Length == 0 || !isJson ? default : JsonDocument.Parse(text).RootElement.Clone();
        return (response.StatusCode, json, response);
    }
}

/// <summary>A registered participant and a client that speaks as it.</summary>
public sealed record Participant(string Id, Api Api);
