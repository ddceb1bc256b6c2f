using System.Net;
using System.Text.Json;

namespace CoopMarket.Gateway.Tests.Apis;

/// <summary><c>POST /api/lots/{id}/shortfall</c>: only the lot's cooperative reports one (404 for others, 403 for the
/// administrator), the new quantity is checked per field (400), a closed lot is 409, a key reused with another body 422,
/// and a shortfall answers the lot with what shrank while the request it took from is sourced again.</summary>
[Collection(GatewayCollection.Name)]
public sealed class ShortfallApiTests(GatewayFactory factory)
{
    private readonly Api admin = factory.Admin();

    [Fact]
    public async Task A_shortfall_shrinks_the_deal_and_the_request_is_sourced_again_from_another_lot()
    {
        var product = await factory.ProductAsync("shortfall-happy");
        var cooperative = await admin.CooperativeAsync();
        var other = await admin.CooperativeAsync("HTX khác (thử)");
        var buyer = await admin.BuyerAsync();
        var lot = await LotAsync(cooperative, product, 20, 25_000);
        var placed = await buyer.Api.CreatedAsync($"/api/buyers/{buyer.Id}/requests", Request(product, 15));
        var deal = placed.GetProperty("deals")[0].GetProperty("id").GetString()!;
        var spare = await LotAsync(other, product, 30, 26_000);
        var key = Guid.NewGuid().ToString();

        var (status, view, _) = await cooperative.Api.PostAsync($"/api/lots/{lot}/shortfall", new { newQuantityKg = 10 }, key);

        Assert.True(status == HttpStatusCode.OK, view.ToString());
        Assert.Equal((20m, 10m, 10m, 0m, "sold"), (view.GetProperty("quantityKg").GetDecimal(), view.GetProperty("currentQuantityKg").GetDecimal(),
            view.GetProperty("shortfallKg").GetDecimal(), view.GetProperty("remainingKg").GetDecimal(), view.GetProperty("status").GetString()));
        var (_, shrunk) = await buyer.Api.GetAsync($"/api/deals/{deal}");
        Assert.Equal((10m, 5m, "proposed"), (shrunk.GetProperty("quantityKg").GetDecimal(), shrunk.GetProperty("shortfallKg").GetDecimal(),
            shrunk.GetProperty("status").GetString()));
        var (_, request) = await buyer.Api.GetAsync($"/api/requests/{placed.GetProperty("id").GetString()}");
        Assert.Equal((15m, "filled"), (request.GetProperty("filledKg").GetDecimal(), request.GetProperty("status").GetString()));
        var (_, spareView) = await other.Api.GetAsync($"/api/lots/{spare}");
        Assert.Equal(25m, spareView.GetProperty("remainingKg").GetDecimal());

        // The same key and body again: the same lot, nothing shrinks twice; another body with it: 422.
        var (againStatus, again, _) = await cooperative.Api.PostAsync($"/api/lots/{lot}/shortfall", new { newQuantityKg = 10 }, key);
        Assert.Equal((HttpStatusCode.OK, 10m), (againStatus, again.GetProperty("shortfallKg").GetDecimal()));
        var (reusedStatus, _, reused) = await cooperative.Api.PostAsync($"/api/lots/{lot}/shortfall", new { newQuantityKg = 8 }, key);
        Assert.Equal((HttpStatusCode.UnprocessableEntity, "application/problem+json"), (reusedStatus, ContentType(reused)));
        await AssertLotBalancedAsync(cooperative, lot);
        await AssertLotBalancedAsync(other, spare);
    }

    [Fact]
    public async Task Others_get_404_the_administrator_403_a_bad_quantity_400_and_a_closed_lot_409()
    {
        var product = await factory.ProductAsync("shortfall-problems");
        var cooperative = await admin.CooperativeAsync();
        var stranger = await admin.CooperativeAsync("HTX lạ (thử)");
        var buyer = await admin.BuyerAsync();
        var lot = await LotAsync(cooperative, product, 20, 25_000);
        var path = $"/api/lots/{lot}/shortfall";

        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Api.PostAsync(path, new { newQuantityKg = 5 })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await buyer.Api.PostAsync(path, new { newQuantityKg = 5 })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await cooperative.Api.PostAsync("/api/lots/lot-nobody-posted/shortfall", new { newQuantityKg = 5 })).Status);
        var (forbidden, _, problem) = await admin.PostAsync(path, new { newQuantityKg = 5 });
        Assert.Equal((HttpStatusCode.Forbidden, "application/problem+json"), (forbidden, ContentType(problem)));

        foreach (var body in new object[] { new { newQuantityKg = -1 }, new { newQuantityKg = 20 }, new { newQuantityKg = 25 }, new { }, new { newQuantityKg = 1.0001m } })
        {
            var (status, invalid, _) = await cooperative.Api.PostAsync(path, body);
            Assert.True(status == HttpStatusCode.BadRequest, $"{JsonSerializer.Serialize(body)} answered {(int)status}: {invalid}");
            Assert.True(invalid.GetProperty("errors").TryGetProperty("newQuantityKg", out _), invalid.ToString());
        }

        // Below what shipped: a field error that says how far it may go.
        var placed = await buyer.Api.CreatedAsync($"/api/buyers/{buyer.Id}/requests", Request(product, 5));
        var deal = placed.GetProperty("deals")[0].GetProperty("id").GetString()!;
        await cooperative.Api.PostAsync($"/api/deals/{deal}/confirm", new { });
        await cooperative.Api.PostAsync($"/api/deals/{deal}/ship", new { });
        var (belowStatus, below, _) = await cooperative.Api.PostAsync(path, new { newQuantityKg = 4 });
        Assert.Equal(HttpStatusCode.BadRequest, belowStatus);
        Assert.Contains("5", below.GetProperty("errors").GetProperty("newQuantityKg")[0].GetString(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await cooperative.Api.DeleteAsync($"/api/lots/{lot}")).Status);
        var (conflict, _, closed) = await cooperative.Api.PostAsync(path, new { newQuantityKg = 6 });
        Assert.Equal((HttpStatusCode.Conflict, "application/problem+json"), (conflict, ContentType(closed)));
        await AssertLotBalancedAsync(cooperative, lot);
    }

    private static string? ContentType(HttpResponseMessage response) => response.Content.Headers.ContentType?.MediaType;

    /// <summary>Through the API: quantity = what standing deals brought + remaining + returned + shortfall + undelivered.</summary>
    internal static async Task AssertLotBalancedAsync(Participant cooperative, string lot)
    {
        var (_, view) = await cooperative.Api.GetAsync($"/api/lots/{lot}");
        var (_, deals) = await cooperative.Api.GetAsync($"/api/lots/{lot}/deals?limit=500");
        var sold = deals.GetProperty("items").EnumerateArray()
            .Where(d => d.GetProperty("status").GetString() is not ("rejected" or "expired" or "cancelled"))
            .Sum(d => d.GetProperty("deliveredKg").ValueKind == JsonValueKind.Number ? d.GetProperty("deliveredKg").GetDecimal() : d.GetProperty("quantityKg").GetDecimal());
        Assert.Equal(view.GetProperty("quantityKg").GetDecimal(),
            sold + view.GetProperty("remainingKg").GetDecimal() + view.GetProperty("returnedKg").GetDecimal()
            + view.GetProperty("shortfallKg").GetDecimal() + view.GetProperty("undeliveredKg").GetDecimal());
    }

    private async Task<string> LotAsync(Participant cooperative, string product, decimal kg, long ask) =>
        (await cooperative.Api.CreatedAsync($"/api/cooperatives/{cooperative.Id}/lots", new
        {
            product,
            quantityKg = kg,
            grade = "A",
            certifications = new[] { new { scheme = "VietGAP" } },
            harvestFrom = factory.Today.AddDays(9),
            harvestTo = factory.Today.AddDays(19),
            askVndPerKg = ask,
        })).GetProperty("id").GetString()!;

    private object Request(string product, decimal kg) => new
    {
        product,
        quantityKg = kg,
        minGrade = "B",
        requiredCertifications = new[] { "VietGAP" },
        deliverFrom = factory.Today.AddDays(14),
        deliverBy = factory.Today.AddDays(27),
        maxVndPerKg = 30_000,
        deliveryLocation = "Ha Noi",
        allowPartial = true,
    };
}
