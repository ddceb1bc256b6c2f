using System.Text.Encodings.Web;
using CoopMarket.Gateway;
using CoopMarket.Grains;
using Microsoft.Extensions.DependencyInjection.Extensions;
using CoopMarket.Gateway.Apis;
using CoopMarket.Gateway.Dashboard;
using CoopMarket.Gateway.Demo;
using CoopMarket.Gateway.Health;
using CoopMarket.Gateway.Localization;
using CoopMarket.Gateway.Notifications;
using CoopMarket.Gateway.Security;
using CoopMarket.Gateway.Telemetry;
using CoopMarket.Gateway.Validation;
using CoopMarket.Gateway.Web;
using CoopMarket.Hosting;
using Scalar.AspNetCore;

var builder = WebApplication.CreateBuilder(args);
builder.AddCoopMarketOrleans();
builder.AddCoopMarketSecurity();
builder.AddCoopMarketGatewayTelemetry();
builder.AddCoopMarketWeb();
builder.Services.AddProblemDetails();
builder.Services.AddExceptionHandler<MarketExceptionHandler>();
builder.Services.AddCoopMarketHealth(OrleansSettings.From(builder.Configuration).Mode);
builder.Services.AddCoopMarketApiDocument();
builder.Services.TryAddKeyedSingleton(MarketTime.ServiceKey, TimeProvider.System);
builder.Services.AddSingleton<KnownProducts>();
builder.Services.AddSingleton<ParticipantCommands>();
builder.Services.AddSingleton<MarketCommands>();
builder.Services.AddSingleton<ValueChainCommands>();
builder.Services.AddSingleton<AutoConfirmCommands>();
builder.Services.AddCoopMarketNotifications();
builder.Services.AddSingleton<DealSteps>();
DemoOptions.AddTo(builder.Services);
BenchOptions.AddTo(builder.Services);
builder.Services.AddHostedService<DistrictDemo>();
builder.Services.ConfigureHttpJsonOptions(o =>
{
    // Every character goes out as itself where JSON allows it (Vietnamese letters, and '+', '<', '&' in a deal's
    // reason). The default encoder escapes HTML-sensitive characters for JSON pasted into a page; this API only ever
    // answers application/json with X-Content-Type-Options: nosniff, so that escaping guards nothing and shows clients
    // "\u002B" for "+". Quotes, backslashes and control characters are still escaped, as JSON requires.
    o.SerializerOptions.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
    // No body the API accepts nests deeper than a few levels: refuse the rest before it costs anything.
    o.SerializerOptions.MaxDepth = 16;
    // {"quantityKg": 1, "quantityKg": -1} means two things: refuse it rather than guess which.
    o.SerializerOptions.AllowDuplicateProperties = false;
});

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseClusterStartupGate();
app.UseCoopMarketSecurity();
app.UseReasonLanguage();
app.UseCoopMarketWeb();
app.MapCoopMarketHealth();
app.MapCoopMarketTelemetry();
app.MapOpenApi();
app.MapScalarApiReference();
var api = app.MapGroup("").AddEndpointFilter<TransientRetry>().DeclareSharedProblems();
api.MapProductsApi();
api.MapCooperativesApi();
api.MapBuyersApi();
api.MapLotsApi();
api.MapDealsApi();
api.MapValueChainsApi();
api.MapTraceApi();
api.MapNotificationsApi();
app.MapBenchApi();
app.MapSignIn();
app.MapCoopMarketWeb();
app.MapCoopMarketDashboard();
app.Run();

/// <summary>Entry point, visible to <c>WebApplicationFactory</c> in the gateway tests.</summary>
public partial class Program;
