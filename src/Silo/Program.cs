using CoopMarket.Hosting;
using Microsoft.Extensions.Hosting;

// A silo of the distributed mode: Orleans:Mode=Redis, ports and ConnectionStrings:Redis from configuration.
// The generic host stops it gracefully on SIGTERM, so it leaves the cluster before it exits.
// Settings are read beside the binary, so the silo behaves the same whatever folder starts it.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddCoopMarketTelemetry("coopmarket-silo");
builder.UseOrleans(silo => silo.UseCoopMarket(builder.Configuration));
await builder.Build().RunAsync();
