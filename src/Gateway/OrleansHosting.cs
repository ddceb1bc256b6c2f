using CoopMarket.Hosting;

namespace CoopMarket.Gateway;

internal static class OrleansHosting
{
    /// <summary>Embedded mode co-hosts a silo in this process; Redis mode makes the gateway a client of external silos.</summary>
    public static WebApplicationBuilder AddCoopMarketOrleans(this WebApplicationBuilder builder)
    {
        if (OrleansSettings.From(builder.Configuration).Mode == OrleansMode.Embedded)
        {
            builder.UseOrleans(silo => silo.UseCoopMarket(builder.Configuration));
        }
        else
        {
            builder.UseOrleansClient(client => client.UseCoopMarket(builder.Configuration));
            // The client's start-up waits for a silo to answer, for as long as the cluster is down, and the web server
            // starts after every other hosted service: one after the other, the gateway would refuse even /health/live
            // until the cluster is back. Started together, it answers at once: live, not ready, 503 to the API.
            builder.Services.Configure<HostOptions>(o => o.ServicesStartConcurrently = true);
        }

        return builder;
    }
}
