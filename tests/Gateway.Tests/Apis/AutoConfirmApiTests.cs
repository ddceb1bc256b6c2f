using System.Net;
using System.Text.Json;

namespace CoopMarket.Gateway.Tests.Apis;

/// <summary>A cooperative's auto-confirm rules over HTTP: only the cooperative (or the district office) reads and
/// replaces them, unknown buyers and chains and lists over their bounds are 400, and the deals they name are answered
/// confirmed — never one with an unverified buyer.</summary>
[Collection(GatewayCollection.Name)]
public sealed class AutoConfirmApiTests(GatewayFactory factory)
{
    private readonly Api admin = factory.Admin();

    [Fact]
    public async Task The_cooperative_names_a_buyer_and_a_chain_and_that_buyers_deals_are_made_confirmed()
    {
        var product = await factory.ProductAsync("auto-confirm");
        var cooperative = await admin.CooperativeAsync();
        var trusted = await admin.BuyerAsync();
        var stranger = await admin.BuyerAsync("Người mua lạ (thử)");
        var chain = (await admin.CreatedAsync("/api/value-chains", new { name = "Chuỗi thử", products = new[] { product }, policy = "PriceTime" }))
            .GetProperty("id").GetString()!;
        // A lot first: the rules go to the markets the cooperative sells in (the catalog's, which test products are not in).
        var lot = await LotAsync(cooperative, product);
        var path = $"/api/cooperatives/{cooperative.Id}/auto-confirm";
        Assert.Equal((HttpStatusCode.OK, 0), Count(await cooperative.Api.GetAsync(path), "buyerIds"));

        var (status, set) = await cooperative.Api.PutAsync(path, new { buyerIds = new[] { trusted.Id, trusted.Id }, valueChainIds = new[] { chain } });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal([trusted.Id], set.GetProperty("buyerIds").EnumerateArray().Select(b => b.GetString()));
        var (_, read) = await cooperative.Api.GetAsync(path);
        Assert.Equal([chain], read.GetProperty("valueChainIds").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal("confirmed", await DealStatusAsync(trusted, product));
        Assert.Equal("proposed", await DealStatusAsync(stranger, product));
        var (_, deals) = await cooperative.Api.GetAsync($"/api/lots/{lot}/deals");
        Assert.Equal(["proposed", "confirmed"], deals.GetProperty("items").EnumerateArray().Select(d => d.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task Another_participant_gets_404_and_the_district_office_may_read_and_replace()
    {
        var cooperative = await admin.CooperativeAsync();
        var other = await admin.CooperativeAsync("HTX khác (thử)");
        var buyer = await admin.BuyerAsync();
        var path = $"/api/cooperatives/{cooperative.Id}/auto-confirm";
        var rules = new { buyerIds = new[] { buyer.Id } };

        foreach (var stranger in new[] { other.Api, buyer.Api })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync(path)).Status);
            Assert.Equal(HttpStatusCode.NotFound, (await stranger.PutAsync(path, rules)).Status);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/cooperatives/coop-nobody/auto-confirm")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await admin.As(null).GetAsync(path)).Status);
        // Nothing the strangers sent was kept; the district office may act for the cooperative.
        Assert.Equal((HttpStatusCode.OK, 0), Count(await cooperative.Api.GetAsync(path), "buyerIds"));
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsync(path, rules)).Status);
        Assert.Equal((HttpStatusCode.OK, 1), Count(await cooperative.Api.GetAsync(path), "buyerIds"));
    }

    [Fact]
    public async Task Unknown_buyers_and_chains_and_lists_over_their_bounds_are_400_and_change_nothing()
    {
        var cooperative = await admin.CooperativeAsync();
        var buyer = await admin.BuyerAsync();
        var path = $"/api/cooperatives/{cooperative.Id}/auto-confirm";

        var (unknown, errors) = await cooperative.Api.PutAsync(path, new { buyerIds = new[] { buyer.Id, "buyer-nobody", "" }, valueChainIds = new[] { "chain-nobody" } });
        var (tooMany, bounds) = await cooperative.Api.PutAsync(path, new
        {
            buyerIds = Enumerable.Repeat(buyer.Id, 201),
            valueChainIds = Enumerable.Range(0, 51).Select(i => $"chain-{i}"),
        });

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (unknown, tooMany));
        Assert.Equal(["buyerIds[1]", "buyerIds[2]", "valueChainIds[0]"], errors.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order());
        Assert.Equal(("No buyer has this id.", "No value chain has this id."),
            (errors.GetProperty("errors").GetProperty("buyerIds[1]")[0].GetString(), errors.GetProperty("errors").GetProperty("valueChainIds[0]")[0].GetString()));
        Assert.Equal(["buyerIds", "valueChainIds"], bounds.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order());
        Assert.Equal(("At most 200.", "At most 50."),
            (bounds.GetProperty("errors").GetProperty("buyerIds")[0].GetString(), bounds.GetProperty("errors").GetProperty("valueChainIds")[0].GetString()));
        Assert.Equal((HttpStatusCode.OK, 0), Count(await cooperative.Api.GetAsync(path), "buyerIds"));
    }

    private static (HttpStatusCode, int) Count((HttpStatusCode Status, JsonElement Body) answer, string list) =>
        (answer.Status, answer.Status == HttpStatusCode.OK ? answer.Body.GetProperty(list).GetArrayLength() : -1);

    private async Task<string> LotAsync(Participant cooperative, string product) =>
        (await cooperative.Api.CreatedAsync($"/api/cooperatives/{cooperative.Id}/lots", new
        {
            product,
            quantityKg = 20m,
            grade = "A",
            certifications = new[] { new { scheme = "VietGAP" } },
            harvestFrom = factory.Today.AddDays(9),
            harvestTo = factory.Today.AddDays(19),
            askVndPerKg = 25_000,
        })).GetProperty("id").GetString()!;

    private async Task<string?> DealStatusAsync(Participant buyer, string product)
    {
        var placed = await buyer.Api.CreatedAsync($"/api/buyers/{buyer.Id}/requests", new
        {
            product,
            quantityKg = 5m,
            minGrade = "B",
            requiredCertifications = new[] { "VietGAP" },
            deliverFrom = factory.Today.AddDays(14),
            deliverBy = factory.Today.AddDays(27),
            maxVndPerKg = 30_000,
        });
        var deal = placed.GetProperty("deals")[0];
        var (_, read) = await buyer.Api.GetAsync($"/api/deals/{deal.GetProperty("id").GetString()}");
        Assert.Equal(deal.GetProperty("status").GetString(), read.GetProperty("status").GetString());
        return read.GetProperty("status").GetString();
    }
}
