using System.Net;
using System.Net.Http.Json;

namespace CoopMarket.Gateway.Tests.Apis;

/// <summary>JSON answers keep every character as itself where JSON allows it.</summary>
[Collection(GatewayCollection.Name)]
public sealed class JsonEncodingTests(GatewayFactory factory)
{
    [Fact]
    public async Task Plus_ampersand_apostrophe_and_Vietnamese_letters_go_out_unescaped()
    {
        const string name = "Rau+Quả O'Neil & Con \"Sạch\"";
        using var http = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/buyers", UriKind.Relative))
        {
            Content = JsonContent.Create(new { name, kind = "wholesaler", province = "Hòa Bình" }),
        };
        request.Headers.Authorization = new("Bearer", GatewayFactory.AdminKey);

        var response = await http.SendAsync(request);
        var raw = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        // The quotes must stay escaped (JSON requires it); nothing else may be.
        Assert.Contains("\"name\":\"Rau+Quả O'Neil & Con \\\"Sạch\\\"\"", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u", raw, StringComparison.Ordinal);
    }
}
