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

    [Theory]
    [InlineData("SiloCounters")]
    [InlineData("SiloStats")]
    [InlineData("SiloProperties")]
    [InlineData("SiloMetadata")]
    [InlineData("HistoricalStats")]
    public async Task A_silo_address_that_names_no_silo_is_a_404_problem_and_the_silos_own_address_answers(string resource)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", GatewayFactory.AdminKey);
        var counters = await client.GetFromJsonAsync<JsonElement>("/dashboard/DashboardCounters");
        var silo = counters.GetProperty("hosts")[0].GetProperty("siloAddress").GetString()!;

        using var known = await client.GetAsync(new Uri($"/dashboard/{resource}/{Uri.EscapeDataString(silo)}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, known.StatusCode);
        foreach (var unknown in new[] { "127.0.0.1:1@1", "nonsense", "%20", "a/b", silo + "0" })
        {
            using var refused = await client.GetAsync(new Uri($"/dashboard/{resource}/{unknown}", UriKind.Relative));
            Assert.Equal((HttpStatusCode.NotFound, "application/problem+json"), (refused.StatusCode, refused.Content.Headers.ContentType?.MediaType));
        }
    }
}
