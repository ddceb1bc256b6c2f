using System.Text.Encodings.Web;
using System.Text.Unicode;
using CoopMarket.Gateway;
using CoopMarket.Gateway.Apis;
using CoopMarket.Gateway.Health;
using Orleans.Dashboard;

var builder = WebApplication.CreateBuilder(args);
builder.AddCoopMarketOrleans();
builder.Services.AddProblemDetails();
builder.Services.AddCoopMarketHealth();
// Vietnamese letters go out as themselves, not as \u escapes; HTML-sensitive characters stay escaped.
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Encoder = JavaScriptEncoder.Create(UnicodeRanges.All));

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.MapCoopMarketHealth();
app.MapProductsApi();
app.MapOrleansDashboard("/dashboard");
app.Run();

/// <summary>Entry point, visible to <c>WebApplicationFactory</c> in the gateway tests.</summary>
public partial class Program;
