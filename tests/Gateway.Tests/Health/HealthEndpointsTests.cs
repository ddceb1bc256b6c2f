using System.Net;

namespace CoopMarket.Gateway.Tests.Health;

[Collection(GatewayCollection.Name)]
public sealed class HealthEndpointsTests(GatewayFactory factory)
{
    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Health_endpoints_answer_healthy_once_the_embedded_silo_runs(string path)
    {
        var response = await factory.CreateClient().GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }
}
