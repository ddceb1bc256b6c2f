using System.Text.Encodings.Web;
using System.Text.Unicode;
using CoopMarket.Gateway;
using CoopMarket.Gateway.Apis;
using CoopMarket.Gateway.Demo;
using CoopMarket.Gateway.Health;
using CoopMarket.Hosting;
using Orleans.Dashboard;
using Scalar.AspNetCore;

var builder = WebApplication.CreateBuilder(args);
builder.AddCoopMarketOrleans();
builder.Services.AddProblemDetails();
builder.Services.AddExceptionHandler<MarketExceptionHandler>();
builder.Services.AddCoopMarketHealth(OrleansSettings.From(builder.Configuration).Mode);
builder.Services.AddOpenApi();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<MarketCommands>();
builder.Services.AddHostedService<DistrictDemo>();
// Vietnamese letters go out as themselves, not as \u escapes; HTML-sensitive characters stay escaped.
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Encoder = JavaScriptEncoder.Create(UnicodeRanges.All));

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.MapCoopMarketHealth();
app.MapOpenApi();
app.MapScalarApiReference();
var api = app.MapGroup("").AddEndpointFilter<TransientRetry>();
api.MapProductsApi();
api.MapCooperativesApi();
api.MapBuyersApi();
api.MapLotsApi();
api.MapDealsApi();
api.MapValueChainsApi();
app.MapOrleansDashboard("/dashboard");
app.Run();

/// <summary>Entry point, visible to <c>WebApplicationFactory</c> in the gateway tests.</summary>
public partial class Program;
