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
        }

        return builder;
    }
}
