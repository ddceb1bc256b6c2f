using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace CoopMarket.Gateway.Tests;

[Collection(GatewayCollection.Name)]
public sealed class DashboardTests(GatewayFactory factory)
{
    [Fact]
    public async Task The_dashboard_page_is_served_as_html()
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", GatewayFactory.AdminKey);
        var response = await client.GetAsync(new Uri("/dashboard/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<html", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_dashboard_counters_are_json()
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", GatewayFactory.AdminKey);
        var counters = await client.GetFromJsonAsync<JsonElement>("/dashboard/DashboardCounters");

        Assert.Equal(JsonValueKind.Object, counters.ValueKind);
        Assert.True(counters.TryGetProperty("totalActiveHostCount", out _));
    }
}
