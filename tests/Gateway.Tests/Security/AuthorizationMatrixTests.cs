using System.Net;
using System.Text.Json;
using CoopMarket.Grains.Market;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace CoopMarket.Gateway.Tests.Security;

/// <summary>Every endpoint the gateway maps, called as every kind of caller, against the answer it must give.
/// The rules are keyed by the route the application reports, so an endpoint added without a rule fails here.</summary>
[Collection(GatewayCollection.Name)]
public sealed class AuthorizationMatrixTests(GatewayFactory factory, ITestOutputHelper output)
{
    /// <summary>Got past authentication, authorization and ownership: any answer but 401, 403 or 404.</summary>
    private const int Passes = 0;

    /// <summary>Got past authentication and authorization; what a third-party endpoint (the dashboard) then answers to a
    /// made-up argument is its own affair.</summary>
    private const int Authorized = -1;

    private static readonly Who[] Everyone = Enum.GetValues<Who>();

    private enum Who { Anonymous, CooperativeB, BuyerB, Unverified, BuyerA, CooperativeA, Admin }

    [Fact]
    public async Task Every_endpoint_answers_every_caller_as_its_rule_says()
    {
        var world = await World.CreateAsync(factory);
        var rules = Rules();

        var mapped = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => $"{m} {e.RoutePattern.RawText}"))
            .ToHashSet();
        Assert.Empty(mapped.Except(rules.Select(r => r.Route)));

        var cases = 0;
        var failures = new List<string>();
        foreach (var rule in rules)
        {
            foreach (var who in Everyone)
            {
                var (status, body) = await world.CallAsync(who, rule.Method, rule.Path(world));
                cases++;
                // A caller whose key an earlier rule revoked is nobody now.
                var expected = world.Revoked.Contains(who) ? 401 : rule.Expect(who);
                var ok = expected switch
                {
                    Passes => status is not (401 or 403 or 404) && status < 500,
                    Authorized => status is not (401 or 403),
                    _ => status == expected,
                };
                if (!ok)
                {
                    failures.Add($"{rule.Route} as {who}: {status}, expected {(expected == Passes ? "to pass" : expected)}");
                }

                world.TakeRotatedKey(who, body);
                if (rule.Method == "DELETE" && rule.Route.EndsWith("/key", StringComparison.Ordinal) && status == 204)
                {
                    world.Revoked.Add(rule.Route.Contains("cooperatives", StringComparison.Ordinal) ? Who.CooperativeA : Who.BuyerA);
                }
            }
        }

        output.WriteLine($"{cases} authorization cases over {rules.Count} endpoints and {Everyone.Length} callers");
        foreach (var failure in failures)
        {
            output.WriteLine(failure);
        }

        Assert.Empty(failures);
    }

    private sealed record Rule(string Route, Func<World, string> Path, Func<Who, int> Expect)
    {
        public string Method => Route.Split(' ')[0];
    }

    private static List<Rule> Rules()
    {
        static int Public(Who _) => Passes;
        static int Authenticated(Who who) => who == Who.Anonymous ? 401 : Passes;
        static int AdminOnly(Who who) => who switch { Who.Anonymous => 401, Who.Admin => Passes, _ => 403 };
        static Func<Who, int> OwnedBy(params Who[] owners) => who => who == Who.Anonymous ? 401 : who == Who.Admin || owners.Contains(who) ? Passes : 404;
        static int Dashboard(Who who) => who switch { Who.Anonymous => 302, Who.Admin => Authorized, _ => 403 };
        // Others' deals do not exist for them; the deal's other side, and the administrator, who is neither, are refused.
        static Func<Who, int> DealStepOf(params Who[] sides) => who => who switch
        {
            Who.Anonymous => 401,
            Who.CooperativeA or Who.BuyerA or Who.Admin => sides.Contains(who) ? Passes : 403,
            _ => 404,
        };
        // The web app's pages: a browser without a cookie is sent to sign in; a caller of another role is refused.
        static Func<Who, int> Page(params Who[] readers) => who => who == Who.Anonymous ? 302 : readers.Contains(who) ? Passes : 403;
        var cooperativePage = Page(Who.CooperativeA, Who.CooperativeB);
        var buyerPage = Page(Who.BuyerA, Who.BuyerB, Who.Unverified);
        var adminPage = Page(Who.Admin);
        var participantPage = Page(Who.CooperativeA, Who.CooperativeB, Who.BuyerA, Who.BuyerB, Who.Unverified);
        // A deal's pages: its two sides and the administrator, as in the API; to anyone else the deal does not exist.
        // A request's page: a buyer's own only; to another buyer it does not exist.
        static int RequestPage(Who who) => who switch { Who.Anonymous => 302, Who.BuyerA => Passes, Who.BuyerB or Who.Unverified => 404, _ => 403 };
        static int DealPage(Who who) => who switch { Who.Anonymous => 302, Who.CooperativeA or Who.BuyerA or Who.Admin => Passes, _ => 404 };
        var signedInPage = Page(Who.CooperativeA, Who.CooperativeB, Who.BuyerA, Who.BuyerB, Who.Unverified, Who.Admin);
        static int VerifyBuyer(Who who) => who switch { Who.Anonymous => 401, Who.Admin => Passes, Who.Unverified => 403, _ => 404 };

        var rules = new List<Rule>
        {
            new("GET /health/live", _ => "/health/live", Public),
            new("GET /health/ready", _ => "/health/ready", Public),
            new("GET /openapi/{documentName}.json", _ => "/openapi/v1.json", Public),
            new("GET /signin", _ => "/signin", Public),
            new("POST /signin", _ => "/signin", Public),
            new("GET /scalar/scalar.js", _ => "/scalar/scalar.js", Public),
            new("GET /scalar/scalar.aspnetcore.js", _ => "/scalar/scalar.aspnetcore.js", Public),
            new("GET /scalar/favicon.svg", _ => "/scalar/favicon.svg", Public),
            new("GET /scalar/{documentName?}", _ => "/scalar/v1", Public),
            new("GET /api/products/", _ => "/api/products", Public),
            new("GET /api/products/{code}", _ => "/api/products/dragon-fruit", Public),
            new("GET /api/markets/{product}", w => $"/api/markets/{w.Product}", Public),
            new("GET /api/trace/{code}", w => $"/api/trace/{w.TraceCode}", Public),
            new("GET /api/trace/{code}/qr.png", w => $"/api/trace/{w.TraceCode}/qr.png", Public),
            new("POST /api/cooperatives/", _ => "/api/cooperatives", AdminOnly),
            new("GET /api/cooperatives/", _ => "/api/cooperatives", AdminOnly),
            new("GET /api/cooperatives/{id}", w => $"/api/cooperatives/{w.CooperativeA}", OwnedBy(Who.CooperativeA)),
            new("POST /api/cooperatives/{id}/lots", w => $"/api/cooperatives/{w.CooperativeA}/lots", OwnedBy(Who.CooperativeA)),
            new("GET /api/cooperatives/{id}/lots", w => $"/api/cooperatives/{w.CooperativeA}/lots", OwnedBy(Who.CooperativeA)),
            new("GET /api/cooperatives/{id}/deals", w => $"/api/cooperatives/{w.CooperativeA}/deals", OwnedBy(Who.CooperativeA)),
            new("GET /api/cooperatives/{id}/auto-confirm", w => $"/api/cooperatives/{w.CooperativeA}/auto-confirm", OwnedBy(Who.CooperativeA)),
            new("PUT /api/cooperatives/{id}/auto-confirm", w => $"/api/cooperatives/{w.CooperativeA}/auto-confirm", OwnedBy(Who.CooperativeA)),
            new("POST /api/buyers/", _ => "/api/buyers", Public),
            new("GET /api/buyers/", _ => "/api/buyers", AdminOnly),
            new("GET /api/buyers/{id}", w => $"/api/buyers/{w.BuyerA}", OwnedBy(Who.BuyerA)),
            new("POST /api/buyers/{id}/verify", w => $"/api/buyers/{w.Unverified}/verify", VerifyBuyer),
            new("POST /api/buyers/{id}/requests", w => $"/api/buyers/{w.BuyerA}/requests", OwnedBy(Who.BuyerA)),
            new("GET /api/buyers/{id}/requests", w => $"/api/buyers/{w.BuyerA}/requests", OwnedBy(Who.BuyerA)),
            new("GET /api/buyers/{id}/deals", w => $"/api/buyers/{w.BuyerA}/deals", OwnedBy(Who.BuyerA)),
            new("GET /api/lots/{id}", w => $"/api/lots/{w.LotA}", OwnedBy(Who.CooperativeA)),
            new("GET /api/lots/{id}/deals", w => $"/api/lots/{w.LotA}/deals", OwnedBy(Who.CooperativeA)),
            new("DELETE /api/lots/{id}", w => $"/api/lots/{w.LotA}", OwnedBy(Who.CooperativeA)),
            // Only the lot's cooperative knows its harvest: the administrator sees the lot but is refused.
            new("POST /api/lots/{id}/shortfall", w => $"/api/lots/{w.LotA}/shortfall",
                who => who switch { Who.Anonymous => 401, Who.CooperativeA => Passes, Who.Admin => 403, _ => 404 }),
            new("GET /api/requests/{id}", w => $"/api/requests/{w.RequestA}", OwnedBy(Who.BuyerA)),
            new("GET /api/requests/{id}/deals", w => $"/api/requests/{w.RequestA}/deals", OwnedBy(Who.BuyerA)),
            new("DELETE /api/requests/{id}", w => $"/api/requests/{w.RequestA}", OwnedBy(Who.BuyerA)),
            new("GET /api/deals/{id}", w => $"/api/deals/{w.DealA}", OwnedBy(Who.CooperativeA, Who.BuyerA)),
            new("GET /api/cooperatives/{id}/inbox", w => $"/api/cooperatives/{w.CooperativeA}/inbox", OwnedBy(Who.CooperativeA)),
            new("GET /api/cooperatives/{id}/inbox/unread", w => $"/api/cooperatives/{w.CooperativeA}/inbox/unread", OwnedBy(Who.CooperativeA)),
            new("POST /api/cooperatives/{id}/inbox/read", w => $"/api/cooperatives/{w.CooperativeA}/inbox/read", OwnedBy(Who.CooperativeA)),
            new("GET /api/cooperatives/{id}/events", w => $"/api/cooperatives/{w.CooperativeA}/events", OwnedBy(Who.CooperativeA)),
            new("POST /api/cooperatives/{id}/webhooks", w => $"/api/cooperatives/{w.CooperativeA}/webhooks", OwnedBy(Who.CooperativeA)),
            new("GET /api/cooperatives/{id}/webhooks", w => $"/api/cooperatives/{w.CooperativeA}/webhooks", OwnedBy(Who.CooperativeA)),
            new("DELETE /api/cooperatives/{id}/webhooks/{webhookId}", w => $"/api/cooperatives/{w.CooperativeA}/webhooks/webhook-none", OwnedBy(Who.CooperativeA)),
            new("GET /api/buyers/{id}/inbox", w => $"/api/buyers/{w.BuyerA}/inbox", OwnedBy(Who.BuyerA)),
            new("GET /api/buyers/{id}/inbox/unread", w => $"/api/buyers/{w.BuyerA}/inbox/unread", OwnedBy(Who.BuyerA)),
            new("POST /api/buyers/{id}/inbox/read", w => $"/api/buyers/{w.BuyerA}/inbox/read", OwnedBy(Who.BuyerA)),
            new("GET /api/buyers/{id}/events", w => $"/api/buyers/{w.BuyerA}/events", OwnedBy(Who.BuyerA)),
            new("POST /api/buyers/{id}/webhooks", w => $"/api/buyers/{w.BuyerA}/webhooks", OwnedBy(Who.BuyerA)),
            new("GET /api/buyers/{id}/webhooks", w => $"/api/buyers/{w.BuyerA}/webhooks", OwnedBy(Who.BuyerA)),
            new("DELETE /api/buyers/{id}/webhooks/{webhookId}", w => $"/api/buyers/{w.BuyerA}/webhooks/webhook-none", OwnedBy(Who.BuyerA)),
            // A deal's steps walk the deal on as the matrix goes; a step its status no longer allows (409) still passes.
            new("POST /api/deals/{id}/confirm", w => $"/api/deals/{w.DealA}/confirm", DealStepOf(Who.CooperativeA)),
            new("POST /api/deals/{id}/reject", w => $"/api/deals/{w.DealA}/reject", DealStepOf(Who.CooperativeA)),
            new("POST /api/deals/{id}/ship", w => $"/api/deals/{w.DealA}/ship", DealStepOf(Who.CooperativeA)),
            new("POST /api/deals/{id}/deliver", w => $"/api/deals/{w.DealA}/deliver", DealStepOf(Who.BuyerA)),
            new("POST /api/deals/{id}/settle", w => $"/api/deals/{w.DealA}/settle", DealStepOf(Who.BuyerA)),
            new("POST /api/deals/{id}/cancel", w => $"/api/deals/{w.DealA}/cancel", DealStepOf(Who.CooperativeA, Who.BuyerA)),
            new("POST /api/value-chains/", _ => "/api/value-chains", AdminOnly),
            new("POST /api/value-chains/{id}/members", w => $"/api/value-chains/{w.Chain}/members", AdminOnly),
            new("GET /api/value-chains/", _ => "/api/value-chains", Authenticated),
            new("GET /api/value-chains/{id}", w => $"/api/value-chains/{w.Chain}", Authenticated),
            new("GET ", _ => "/", Public),
            new("GET catalog", _ => "/catalog", Public),
            new("GET signout", _ => "/signout", Public),
            new("GET /language/{culture}", _ => "/language/en", Public),
            new("GET buyer/register", _ => "/buyer/register", Public),
            new("GET coop/lots/new", _ => "/coop/lots/new", cooperativePage),
            new("GET coop/lots", _ => "/coop/lots", cooperativePage),
            new("GET coop/deals", _ => "/coop/deals", cooperativePage),
            new("GET coop/auto-confirm", _ => "/coop/auto-confirm", cooperativePage),
            new("GET buyer/requests/new", _ => "/buyer/requests/new", buyerPage),
            new("GET buyer/requests", _ => "/buyer/requests", buyerPage),
            new("GET buyer/requests/{id}", w => $"/buyer/requests/{w.RequestA}", RequestPage),
            // Each participant's own inbox: the address names nobody, so nobody can ask for another's.
            new("GET inbox", _ => "/inbox", participantPage),
            new("GET /inbox/events", _ => "/inbox/events", participantPage),
            new("GET trace/{code}", w => $"/trace/{w.TraceCode}", Public),
            // The deal steps above have shipped deal A by now, so it has a label.
            new("GET deals/{id}/label", w => $"/deals/{w.DealA}/label", DealPage),
            // A step is a form's POST; its address opened by GET only goes back to the caller's list.
            new("GET deals/{id}/{step:regex(^(confirm|reject|ship|deliver|settle|cancel)$)}", w => $"/deals/{w.DealA}/ship", signedInPage),
            new("GET admin", _ => "/admin", adminPage),
            new("GET admin/buyers", _ => "/admin/buyers", adminPage),
            new("GET admin/value-chains", _ => "/admin/value-chains", adminPage),
            new("GET /admin/export/deals.csv", _ => "/admin/export/deals.csv", adminPage),
            new("GET /admin/export/unfilled-demand.csv", _ => "/admin/export/unfilled-demand.csv", adminPage),
            // Keys last: rotating and revoking change who can call anything afterwards.
            new("POST /api/cooperatives/{id}/key", w => $"/api/cooperatives/{w.CooperativeA}/key", OwnedBy(Who.CooperativeA)),
            new("POST /api/buyers/{id}/key", w => $"/api/buyers/{w.BuyerA}/key", OwnedBy(Who.BuyerA)),
            new("DELETE /api/cooperatives/{id}/key", w => $"/api/cooperatives/{w.CooperativeA}/key", OwnedBy(Who.CooperativeA)),
            new("DELETE /api/buyers/{id}/key", w => $"/api/buyers/{w.BuyerA}/key", OwnedBy(Who.BuyerA)),
        };
        foreach (var route in new[]
                 {
                     "/", "/index.html", "/favicon.ico", "/index.min.js", "/index.css", "/fonts/{**path}", "/img/{**path}", "/version",
                     "/DashboardCounters", "/ClusterStats", "/Reminders", "/Reminders/{page:int}", "/HistoricalStats/{*path}",
                     "/SiloProperties/{*address}", "/SiloMetadata/{*address}", "/SiloStats/{*address}", "/SiloCounters/{*address}",
                     "/GrainStats/{*grainName}", "/TopGrainMethods", "/GrainState", "/LifecycleStages", "/GrainTypes", "/Trace",
                 })
        {
            var path = "/dashboard" + route.Replace("{**path}", "x", StringComparison.Ordinal).Replace("{page:int}", "1", StringComparison.Ordinal)
                .Replace("{*path}", "x", StringComparison.Ordinal).Replace("{*address}", "x", StringComparison.Ordinal).Replace("{*grainName}", "x", StringComparison.Ordinal);
            rules.Insert(rules.Count - 4, new Rule($"GET /dashboard{route}", _ => path, Dashboard));
        }

        return rules;
    }

    /// <summary>Two cooperatives, two verified buyers, one self-registered buyer, and resources of the "A" ones:
    /// a lot, a request, a deal between them, and a value chain.</summary>
    private sealed class World
    {
        private readonly Dictionary<Who, Api> callers = [];
        private readonly HttpClient http;

        private World(GatewayFactory factory)
        {
            http = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
            callers[Who.Anonymous] = new Api(http);
            callers[Who.Admin] = new Api(http, GatewayFactory.AdminKey);
        }

        public HashSet<Who> Revoked { get; } = [];

        public string Product { get; private set; } = "";
        public string CooperativeA { get; private set; } = "";
        public string BuyerA { get; private set; } = "";
        public string Unverified { get; private set; } = "";
        public string LotA { get; private set; } = "";
        public string RequestA { get; private set; } = "";
        public string DealA { get; private set; } = "";
        public string Chain { get; private set; } = "";
        public string TraceCode { get; private set; } = "";

        public static async Task<World> CreateAsync(GatewayFactory factory)
        {
            var world = new World(factory);
            var admin = world.callers[Who.Admin];
            world.Product = await factory.ProductAsync("matrix");
            var coopA = await admin.CooperativeAsync("HTX A");
            var coopB = await admin.CooperativeAsync("HTX B");
            var buyerA = await admin.BuyerAsync("Người mua A");
            var buyerB = await admin.BuyerAsync("Người mua B");
            var unverified = await world.callers[Who.Anonymous].BuyerAsync("Người mua chưa xác minh");
            (world.callers[Who.CooperativeA], world.callers[Who.CooperativeB]) = (coopA.Api, coopB.Api);
            (world.callers[Who.BuyerA], world.callers[Who.BuyerB], world.callers[Who.Unverified]) = (buyerA.Api, buyerB.Api, unverified.Api);
            (world.CooperativeA, world.BuyerA, world.Unverified) = (coopA.Id, buyerA.Id, unverified.Id);

            var day = factory.Today;
            world.LotA = (await coopA.Api.CreatedAsync($"/api/cooperatives/{coopA.Id}/lots", new
            {
                product = world.Product, quantityKg = 100, grade = "A", harvestFrom = day.AddDays(9), harvestTo = day.AddDays(19), askVndPerKg = 20_000,
            })).GetProperty("id").GetString()!;
            var placed = await buyerA.Api.CreatedAsync($"/api/buyers/{buyerA.Id}/requests", new
            {
                product = world.Product, quantityKg = 150, deliverFrom = day.AddDays(14), deliverBy = day.AddDays(27), maxVndPerKg = 30_000,
            });
            world.RequestA = placed.GetProperty("id").GetString()!;
            world.DealA = placed.GetProperty("deals")[0].GetProperty("id").GetString()!;
            // A shipped copy of the deal, recorded as the deal lifecycle's ship step leaves it, so the trace has a real code.
            var grains = factory.Services.GetRequiredService<IGrainFactory>();
            var shipped = (await grains.GetGrain<IDealGrain>(world.DealA).GetAsync())! with { Id = $"{world.DealA}-shipped", TraceCode = Grains.Market.TraceCode.New() };
            await grains.GetGrain<IDealGrain>(shipped.Id).RecordAsync(shipped, []);
            world.TraceCode = shipped.TraceCode!;
            world.Chain = (await admin.CreatedAsync("/api/value-chains", new { name = "Chuỗi ma trận", products = new[] { world.Product } }))
                .GetProperty("id").GetString()!;
            return world;
        }

        public async Task<(int Status, JsonElement Body)> CallAsync(Who who, string method, string path)
        {
            var api = callers[who];
            if (path.EndsWith("/events", StringComparison.Ordinal))
            {
                return ((int)await api.StreamStatusAsync(path), default);
            }

            if (method == "PUT")
            {
                var (put, answer) = await api.PutAsync(path, new { });
                return ((int)put, answer);
            }

            var (status, body, _) = method switch
            {
                "GET" => await api.GetWithResponseAsync(path),
                "DELETE" => await api.DeleteWithResponseAsync(path),
                _ => await api.PostAsync(path, new { }),
            };
            return ((int)status, body);
        }

        /// <summary>A rotation hands back the caller's new key; it speaks with that from then on.</summary>
        public void TakeRotatedKey(Who who, JsonElement body)
        {
            if (body.ValueKind == JsonValueKind.Object && body.TryGetProperty("apiKey", out var key) && body.TryGetProperty("participantId", out var id)
                && callers.FirstOrDefault(c => c.Key is Who.CooperativeA or Who.BuyerA && (c.Key == Who.CooperativeA ? CooperativeA : BuyerA) == id.GetString()) is { Value: not null } owner)
            {
                callers[owner.Key] = new Api(http, key.GetString());
            }
        }
    }
}
