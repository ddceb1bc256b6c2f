using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace CoopMarket.Gateway.Tests.Apis;

/// <summary>A deal's steps over HTTP: each answers the deal in its new status; only the side named may take a step
/// (404 for others' deals, 403 for the wrong side); an illegal step is 409; a retry with its idempotency key is answered again.</summary>
[Collection(GatewayCollection.Name)]
public sealed class DealsApiTests(GatewayFactory factory)
{
    private readonly Api admin = factory.Admin();

    [Fact]
    public async Task A_deal_goes_from_proposal_to_settlement_each_step_by_its_own_side()
    {
        var (cooperative, buyer, deal, lot) = await OneDealAsync("walk");

        var confirmed = await StepAsync(cooperative, deal, "confirm");
        var shipped = await StepAsync(cooperative, deal, "ship");
        var delivered = await StepAsync(buyer, deal, "deliver", new { deliveredKg = 4.5m });
        var settled = await StepAsync(buyer, deal, "settle", new { reference = "UNC 2026/0042" });

        Assert.Equal(["confirmed", "shipped", "delivered", "settled"], new[] { confirmed, shipped, delivered, settled }.Select(d => d.GetProperty("status").GetString()));
        Assert.Equal(JsonValueKind.Null, confirmed.GetProperty("traceCode").ValueKind);
        var code = shipped.GetProperty("traceCode").GetString()!;
        // The code the step issued is the one the public trace answers to, with no key at all, and it tells what
        // left the farm and what arrived.
        using (var anonymous = factory.CreateClient())
        {
            using var traced = await anonymous.GetAsync(new Uri($"/api/trace/{code}", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, traced.StatusCode);
            var trace = JsonDocument.Parse(await traced.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal(4.5m, trace.GetProperty("deliveredKg").GetDecimal());
            Assert.Equal(JsonValueKind.String, trace.GetProperty("shippedAt").ValueKind);
        }

        Assert.Equal((4.5m, "UNC 2026/0042", code), (settled.GetProperty("deliveredKg").GetDecimal(), settled.GetProperty("settlementReference").GetString(),
            settled.GetProperty("traceCode").GetString()));
        var (_, read) = await buyer.Api.GetAsync($"/api/deals/{deal}");
        Assert.Equal(("settled", code), (read.GetProperty("status").GetString(), read.GetProperty("traceCode").GetString()));
        await AssertLotBalancedAsync(cooperative, lot);
    }

    [Fact]
    public async Task After_a_short_delivery_the_public_trace_page_shows_what_arrived_beside_what_shipped()
    {
        var (cooperative, buyer, deal, _) = await OneDealAsync("trace-short");
        await StepAsync(cooperative, deal, "confirm");
        var code = (await StepAsync(cooperative, deal, "ship")).GetProperty("traceCode").GetString()!;
        await StepAsync(buyer, deal, "deliver", new { deliveredKg = 4.5m });

        using var anonymous = factory.CreateClient();
        using var page = await anonymous.GetAsync(new Uri($"/trace/{code}", UriKind.Relative));
        var html = WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("5 kg", TraceRow(html, "Đã giao đi"));
        Assert.Equal("4,5 kg", TraceRow(html, "Đã nhận"));

        // A row's kilograms, without the date after them.
        static string TraceRow(string html, string label) =>
            Regex.Match(html, $"<dt>{label}</dt><dd>([^<,]+(?:,[0-9]+)? kg)").Groups[1].Value;
    }

    [Fact]
    public async Task Others_get_404_the_wrong_side_403_and_an_illegal_step_409()
    {
        var (cooperative, buyer, deal, lot) = await OneDealAsync("sides");
        var stranger = await admin.CooperativeAsync("HTX khác (thử)");
        var otherBuyer = await admin.BuyerAsync("Người mua khác (thử)");

        foreach (var step in new[] { "confirm", "reject", "ship", "cancel" })
        {
            Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(stranger, deal, step));
            Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(otherBuyer, deal, step));
        }

        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(buyer, "deal-nobody-made", "cancel"));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(buyer, deal, "confirm"));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(buyer, deal, "reject"));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(buyer, deal, "ship"));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(cooperative, deal, "deliver", new { deliveredKg = 1 }));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(cooperative, deal, "settle", new { reference = "x" }));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(new Participant("admin", admin), deal, "confirm"));

        var (status, problem, response) = await cooperative.Api.PostAsync($"/api/deals/{deal}/ship", new { });
        Assert.Equal((HttpStatusCode.Conflict, "application/problem+json"), (status, response.Content.Headers.ContentType?.MediaType));
        Assert.Contains("proposed", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, await StatusAsync(buyer, deal, "deliver", new { deliveredKg = 1 }));
        await StepAsync(cooperative, deal, "confirm");
        Assert.Equal(HttpStatusCode.Conflict, await StatusAsync(cooperative, deal, "confirm"));
        Assert.Equal(HttpStatusCode.Conflict, await StatusAsync(cooperative, deal, "reject"));
        await StepAsync(cooperative, deal, "ship");
        Assert.Equal(HttpStatusCode.Conflict, await StatusAsync(buyer, deal, "cancel"));
        Assert.Equal(HttpStatusCode.Conflict, await StatusAsync(cooperative, deal, "cancel"));
        Assert.Equal(HttpStatusCode.Conflict, await StatusAsync(buyer, deal, "settle", new { reference = "too early" }));
        Assert.Equal(HttpStatusCode.BadRequest, await StatusAsync(buyer, deal, "deliver", new { deliveredKg = 6 }));
        Assert.Equal(HttpStatusCode.BadRequest, await StatusAsync(buyer, deal, "deliver", new { deliveredKg = -1 }));
        await StepAsync(buyer, deal, "deliver", new { deliveredKg = 5 });
        Assert.Equal(HttpStatusCode.BadRequest, await StatusAsync(buyer, deal, "settle", new { reference = "" }));
        await StepAsync(buyer, deal, "settle", new { reference = "paid" });
        Assert.Equal(HttpStatusCode.Conflict, await StatusAsync(buyer, deal, "settle", new { reference = "paid" }));
        Assert.Equal(HttpStatusCode.Conflict, await StatusAsync(buyer, deal, "cancel"));
        await AssertLotBalancedAsync(cooperative, lot);
    }

    [Fact]
    public async Task A_step_retried_with_its_key_is_answered_again_even_after_the_deal_is_final()
    {
        var (cooperative, buyer, deal, lot) = await OneDealAsync("retry");
        var key = Guid.NewGuid().ToString();

        var (firstStatus, first, _) = await cooperative.Api.PostAsync($"/api/deals/{deal}/confirm", new { }, key);
        var (againStatus, again, _) = await cooperative.Api.PostAsync($"/api/deals/{deal}/confirm", new { }, key);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (firstStatus, againStatus));
        Assert.Equal(first.ToString(), again.ToString());

        await StepAsync(cooperative, deal, "ship");
        var deliverKey = Guid.NewGuid().ToString();
        Assert.Equal(HttpStatusCode.OK, (await buyer.Api.PostAsync($"/api/deals/{deal}/deliver", new { deliveredKg = 5 }, deliverKey)).Status);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await buyer.Api.PostAsync($"/api/deals/{deal}/deliver", new { deliveredKg = 4 }, deliverKey)).Status);

        var settleKey = Guid.NewGuid().ToString();
        var (settled, settledBody, _) = await buyer.Api.PostAsync($"/api/deals/{deal}/settle", new { reference = "paid" }, settleKey);
        var (retried, retriedBody, _) = await buyer.Api.PostAsync($"/api/deals/{deal}/settle", new { reference = "paid" }, settleKey);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (settled, retried));
        Assert.Equal(settledBody.ToString(), retriedBody.ToString());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await buyer.Api.PostAsync($"/api/deals/{deal}/settle", new { reference = "other" }, settleKey)).Status);
        await AssertLotBalancedAsync(cooperative, lot);
    }

    [Fact]
    public async Task A_rejected_deal_gives_its_kilograms_back_and_the_request_is_sourced_again_at_once()
    {
        var product = await factory.ProductAsync("reject");
        var first = await admin.CooperativeAsync("HTX một (thử)");
        var second = await admin.CooperativeAsync("HTX hai (thử)");
        var buyer = await admin.BuyerAsync();
        var cheap = await LotAsync(first, product, 10, 25_000);
        var dear = await LotAsync(second, product, 10, 26_000);
        var placed = await buyer.Api.CreatedAsync($"/api/buyers/{buyer.Id}/requests", Request(product, 5, 30_000));
        var deal = placed.GetProperty("deals")[0].GetProperty("id").GetString()!;

        var rejected = await StepAsync(first, deal, "reject");

        Assert.Equal("rejected", rejected.GetProperty("status").GetString());
        var (_, request) = await buyer.Api.GetAsync($"/api/requests/{placed.GetProperty("id").GetString()}");
        Assert.Equal(("filled", 5m), (request.GetProperty("status").GetString(), request.GetProperty("filledKg").GetDecimal()));
        var (_, dealsOfRequest) = await buyer.Api.GetAsync($"/api/requests/{placed.GetProperty("id").GetString()}/deals");
        var resourced = dealsOfRequest.GetProperty("items")[0];
        Assert.Equal((dear, "proposed"), (resourced.GetProperty("lotId").GetString(), resourced.GetProperty("status").GetString()));
        var (_, cheapLot) = await first.Api.GetAsync($"/api/lots/{cheap}");
        Assert.Equal(("open", 10m), (cheapLot.GetProperty("status").GetString(), cheapLot.GetProperty("remainingKg").GetDecimal()));
        await AssertLotBalancedAsync(first, cheap);
        await AssertLotBalancedAsync(second, dear);
    }

    [Fact]
    public async Task Kilograms_a_cancelled_deal_gives_back_to_a_withdrawn_lot_are_returned_to_its_cooperative()
    {
        var (cooperative, buyer, deal, lot) = await OneDealAsync("withdrawn");
        Assert.Equal(HttpStatusCode.OK, (await cooperative.Api.DeleteAsync($"/api/lots/{lot}")).Status);

        var cancelled = await StepAsync(buyer, deal, "cancel");

        Assert.Equal("cancelled", cancelled.GetProperty("status").GetString());
        var (_, view) = await cooperative.Api.GetAsync($"/api/lots/{lot}");
        Assert.Equal(("withdrawn", 0m, 20m), (view.GetProperty("status").GetString(), view.GetProperty("remainingKg").GetDecimal(),
            view.GetProperty("returnedKg").GetDecimal()));
        await AssertLotBalancedAsync(cooperative, lot);
    }

    private static Task AssertLotBalancedAsync(Participant cooperative, string lot) => ShortfallApiTests.AssertLotBalancedAsync(cooperative, lot);

    private static async Task<JsonElement> StepAsync(Participant side, string deal, string step, object? body = null)
    {
        var (status, json, _) = await side.Api.PostAsync($"/api/deals/{deal}/{step}", body ?? new { });
        Assert.True(status == HttpStatusCode.OK, $"{step} answered {(int)status}: {json}");
        return json;
    }

    private static async Task<HttpStatusCode> StatusAsync(Participant side, string deal, string step, object? body = null) =>
        (await side.Api.PostAsync($"/api/deals/{deal}/{step}", body ?? new { })).Status;

    private async Task<(Participant Cooperative, Participant Buyer, string Deal, string Lot)> OneDealAsync(string name)
    {
        var product = await factory.ProductAsync(name);
        var cooperative = await admin.CooperativeAsync();
        var buyer = await admin.BuyerAsync();
        var lot = await LotAsync(cooperative, product, 20, 25_000);
        var placed = await buyer.Api.CreatedAsync($"/api/buyers/{buyer.Id}/requests", Request(product, 5, 30_000));
        return (cooperative, buyer, placed.GetProperty("deals")[0].GetProperty("id").GetString()!, lot);
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

    private object Request(string product, decimal kg, long maxPrice) => new
    {
        product,
        quantityKg = kg,
        minGrade = "B",
        requiredCertifications = new[] { "VietGAP" },
        deliverFrom = factory.Today.AddDays(14),
        deliverBy = factory.Today.AddDays(27),
        maxVndPerKg = maxPrice,
        deliveryLocation = "Ha Noi",
        allowPartial = true,
    };
}
