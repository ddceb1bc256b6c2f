using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CoopMarket.Gateway.Tests.Deployment;

/// <summary>The scrape endpoint is there only when asked for, and tells its figures to the administrator only.</summary>
[Collection(GatewayCollection.Name)]
public sealed class PrometheusTests(GatewayFactory factory)
{
    [Fact]
    public async Task Metrics_are_served_to_the_administrator_only_when_Prometheus_is_on()
    {
        await using var scraped = factory.WithWebHostBuilder(b => b.UseSetting("Telemetry:Prometheus", "true").UseSetting("Demo:Seed", "false"));
        // No redirects followed: a browser without the admin cookie is sent to /signin, which itself answers 200.
        var anonymous = scraped.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var participant = scraped.CreateClient();
        participant.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "cm.buyer-x.not-a-key");
        var admin = scraped.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", GatewayFactory.AdminKey);
        await admin.GetAsync(new Uri("/api/products", UriKind.Relative));

        var refused = await anonymous.GetAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Equal("/signin", refused.Headers.Location?.AbsolutePath);
        Assert.Equal(HttpStatusCode.Unauthorized, (await participant.GetAsync(new Uri("/metrics", UriKind.Relative))).StatusCode);
        var metrics = await admin.GetAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Contains("http_server_request_duration", await metrics.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_metrics_endpoint_unless_asked_for()
    {
        var admin = factory.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", GatewayFactory.AdminKey);

        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync(new Uri("/metrics", UriKind.Relative))).StatusCode);
    }
}
