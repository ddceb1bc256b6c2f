using System.Net;
using System.Text.Json;

namespace CoopMarket.Gateway.Tests.Apis;

/// <summary>Lists are paged; an idempotency key never creates a second effect, however late the retry or whatever
/// product it names; an unverified buyer's cap holds under concurrency; stale produce is refused.</summary>
[Collection(GatewayCollection.Name)]
public sealed class SeasonScaleApiTests(GatewayFactory factory)
{
    private readonly Api admin = factory.Admin();

    [Fact]
    public async Task Lists_page_newest_first_with_a_stable_cursor_and_refuse_bad_paging()
    {
        var product = await factory.ProductAsync("paging");
        var cooperative = await admin.CooperativeAsync();
        var posted = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            posted.Add((await cooperative.Api.CreatedAsync($"/api/cooperatives/{cooperative.Id}/lots", Lot(product, 10 + i, 40_000))).GetProperty("id").GetString()!);
        }

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var (status, page) = await cooperative.Api.GetAsync($"/api/cooperatives/{cooperative.Id}/lots?limit=3" + (cursor is null ? "" : $"&cursor={cursor}"));
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.InRange(page.GetProperty("items").GetArrayLength(), 1, 3);
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(l => l.GetProperty("id").GetString()!));
            cursor = page.GetProperty("nextCursor").GetString();
            if (seen.Count == 3)
            {
                // A lot posted between pages does not shift the pages after the cursor.
                await cooperative.Api.CreatedAsync($"/api/cooperatives/{cooperative.Id}/lots", Lot(product, 99, 40_000));
            }
        }
        while (cursor is not null);

        Assert.Equal(Enumerable.Reverse(posted), seen);
        foreach (var bad in new[] { "limit=0", "limit=501", "limit=abc", "limit=-1", "cursor=0", "cursor=x", "cursor=-5", "limit=1e3" })
        {
            var (status, problem) = await cooperative.Api.GetAsync($"/api/cooperatives/{cooperative.Id}/lots?{bad}");
            Assert.True(status == HttpStatusCode.BadRequest, $"{bad}: {(int)status}");
            Assert.Equal("Invalid paging", problem.GetProperty("title").GetString());
        }
    }

    [Fact]
    public async Task A_lot_and_a_request_list_their_deals_as_pages()
    {
        var product = await factory.ProductAsync("sub-deals");
        var cooperative = await admin.CooperativeAsync();
        var buyer = await admin.BuyerAsync();
        var lot = (await cooperative.Api.CreatedAsync($"/api/cooperatives/{cooperative.Id}/lots", Lot(product, 100, 25_000))).GetProperty("id").GetString()!;
        var deals = new List<string>();
        string request = "";
        for (var i = 0; i < 4; i++)
        {
            var placed = await buyer.Api.CreatedAsync($"/api/buyers/{buyer.Id}/requests", Request(product, 5, 30_000));
            request = placed.GetProperty("id").GetString()!;
            deals.Add(placed.GetProperty("deals")[0].GetProperty("id").GetString()!);
        }

        var (_, lotView) = await cooperative.Api.GetAsync($"/api/lots/{lot}");
        var (_, lotDeals) = await cooperative.Api.GetAsync($"/api/lots/{lot}/deals?limit=2");
        var (_, requestDeals) = await buyer.Api.GetAsync($"/api/requests/{request}/deals");

        Assert.Equal(4, lotView.GetProperty("dealCount").GetInt64());
        Assert.Equal([deals[3], deals[2]], lotDeals.GetProperty("items").EnumerateArray().Select(d => d.GetProperty("id").GetString()));
        Assert.NotNull(lotDeals.GetProperty("nextCursor").GetString());
        Assert.Equal([deals[3]], requestDeals.GetProperty("items").EnumerateArray().Select(d => d.GetProperty("id").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, (await buyer.Api.GetAsync($"/api/lots/{lot}/deals")).Status);
    }

    [Fact]
    public async Task The_same_key_for_another_product_is_refused_and_creates_nothing()
    {
        var first = await factory.ProductAsync("scope-a");
        var second = await factory.ProductAsync("scope-b");
        var cooperative = await admin.CooperativeAsync();
        var key = Guid.NewGuid().ToString();
        await cooperative.Api.CreatedAsync($"/api/cooperatives/{cooperative.Id}/lots", Lot(first, 10, 40_000), key);

        var (status, _, _) = await cooperative.Api.PostAsync($"/api/cooperatives/{cooperative.Id}/lots", Lot(second, 10, 40_000), key);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        var (_, market) = await admin.GetAsync($"/api/markets/{second}");
        Assert.Equal(0, market.GetProperty("openSupply").GetArrayLength());
        var (_, lots) = await cooperative.Api.GetAsync($"/api/cooperatives/{cooperative.Id}/lots");
        Assert.Equal(1, lots.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task A_retry_long_after_a_withdrawal_or_a_sale_replays_and_brings_nothing_back()
    {
        var product = await factory.ProductAsync("late-retry");
        var cooperative = await admin.CooperativeAsync();
        var buyer = await admin.BuyerAsync();
        var withdrawnKey = Guid.NewGuid().ToString();
        var soldKey = Guid.NewGuid().ToString();
        var withdrawn = await cooperative.Api.CreatedAsync($"/api/cooperatives/{cooperative.Id}/lots", Lot(product, 10, 90_000), withdrawnKey);
        var sold = await cooperative.Api.CreatedAsync($"/api/cooperatives/{cooperative.Id}/lots", Lot(product, 1, 25_000), soldKey);
        await cooperative.Api.DeleteAsync($"/api/lots/{withdrawn.GetProperty("id").GetString()}");
        var bought = await buyer.Api.CreatedAsync($"/api/buyers/{buyer.Id}/requests", Request(product, 1, 30_000));
        // Confirmed, so the deal does not expire in the two days below and give its kilogram back.
        var deal = bought.GetProperty("deals")[0].GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.OK, (await cooperative.Api.PostAsync($"/api/deals/{deal}/confirm", new { })).Status);

        // Two days on, and enough commands for a snapshot, which is when the market forgets old receipts.
        factory.Clock.Advance(TimeSpan.FromHours(49));
        for (var i = 0; i < 205; i++)
        {
            await cooperative.Api.CreatedAsync($"/api/cooperatives/{cooperative.Id}/lots", Lot(product, 1, 95_000));
        }

        var (withdrawnStatus, withdrawnAgain, _) = await cooperative.Api.PostAsync($"/api/cooperatives/{cooperative.Id}/lots", Lot(product, 10, 90_000), withdrawnKey);
        var (soldStatus, soldAgain, _) = await cooperative.Api.PostAsync($"/api/cooperatives/{cooperative.Id}/lots", Lot(product, 1, 25_000), soldKey);

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created), (withdrawnStatus, soldStatus));
        Assert.Equal(withdrawn.ToString(), withdrawnAgain.ToString());
        Assert.Equal(sold.ToString(), soldAgain.ToString());
        var (_, lot) = await cooperative.Api.GetAsync($"/api/lots/{withdrawn.GetProperty("id").GetString()}");
        Assert.Equal("withdrawn", lot.GetProperty("status").GetString());
        var (_, market) = await admin.GetAsync($"/api/markets/{product}");
        Assert.Equal(205m, market.GetProperty("openSupply").EnumerateArray().Sum(b => b.GetProperty("quantityKg").GetDecimal()));
    }

    [Fact]
    public async Task Concurrent_requests_of_an_unverified_buyer_never_pass_its_cap_together()
    {
        var product = await factory.ProductAsync("cap-race");
        var (_, registered, _) = await factory.Api().PostAsync("/api/buyers", new { name = "Người mua chưa xác minh", kind = "wholesaler", province = "Hà Nội" });
        var buyer = new Participant(registered.GetProperty("id").GetString()!, factory.Api(registered.GetProperty("apiKey").GetString()));

        var statuses = await Task.WhenAll(Enumerable.Range(0, 24).Select(async _ =>
            (await buyer.Api.PostAsync($"/api/buyers/{buyer.Id}/requests", Request(product, 100, 30_000))).Status));

        Assert.Equal(10, statuses.Count(s => s == HttpStatusCode.Created));
        Assert.Equal(14, statuses.Count(s => s == HttpStatusCode.Forbidden));
        var (_, requests) = await buyer.Api.GetAsync($"/api/buyers/{buyer.Id}/requests");
        Assert.Equal(1_000m, requests.GetProperty("items").EnumerateArray().Sum(r => r.GetProperty("remainingKg").GetDecimal()));
    }

    [Fact]
    public async Task Kilograms_a_rejected_deal_gives_back_never_lift_an_unverified_buyer_over_its_cap()
    {
        var product = await factory.ProductAsync("cap-returned");
        var cooperative = await admin.CooperativeAsync();
        await cooperative.Api.CreatedAsync($"/api/cooperatives/{cooperative.Id}/lots", Lot(product, 1_000, 25_000));
        var registered = await factory.Api().CreatedAsync("/api/buyers", new { name = "Người mua chưa xác minh", kind = "other", province = "Hà Nội" });
        var buyer = new Participant(registered.GetProperty("id").GetString()!, factory.Api(registered.GetProperty("apiKey").GetString()));
        var filled = await buyer.Api.CreatedAsync($"/api/buyers/{buyer.Id}/requests", Request(product, 1_000, 30_000));
        var deal = filled.GetProperty("deals")[0].GetProperty("id").GetString();

        // The tonne is in a deal, not delivered: it still counts, so a request for more is refused.
        var (refused, _, _) = await buyer.Api.PostAsync($"/api/buyers/{buyer.Id}/requests", Request(product, 1_000, 20_000));
        Assert.Equal(HttpStatusCode.OK, (await cooperative.Api.PostAsync($"/api/deals/{deal}/reject", new { })).Status);

        Assert.Equal(HttpStatusCode.Forbidden, refused);
        var (_, requests) = await buyer.Api.GetAsync($"/api/buyers/{buyer.Id}/requests");
        Assert.Equal(1_000m, requests.GetProperty("items").EnumerateArray().Sum(r => r.GetProperty("remainingKg").GetDecimal()));
    }

    [Fact]
    public async Task Unverified_buyers_registered_from_one_address_share_one_cap()
    {
        var product = await factory.ProductAsync("cap-address");
        // 2001:db8::/64: a network no other test client calls from.
        var sameAddress = new Api(new HttpClient(factory.Server.CreateHandler(c => c.Connection.RemoteIpAddress = IPAddress.Parse("2001:db8::7")))
        {
            BaseAddress = factory.Server.BaseAddress,
        });
        async Task<Participant> RegisterAsync(Api from)
        {
            var registered = await from.CreatedAsync("/api/buyers", new { name = "Tài khoản dùng một lần", kind = "other", province = "Hà Nội" });
            return new Participant(registered.GetProperty("id").GetString()!, factory.Api(registered.GetProperty("apiKey").GetString()));
        }

        var first = await RegisterAsync(sameAddress);
        var second = await RegisterAsync(sameAddress);
        var elsewhere = await RegisterAsync(factory.Api());

        await first.Api.CreatedAsync($"/api/buyers/{first.Id}/requests", Request(product, 700, 30_000));
        var (refused, _, _) = await second.Api.PostAsync($"/api/buyers/{second.Id}/requests", Request(product, 400, 30_000));
        await second.Api.CreatedAsync($"/api/buyers/{second.Id}/requests", Request(product, 300, 30_000));
        await elsewhere.Api.CreatedAsync($"/api/buyers/{elsewhere.Id}/requests", Request(product, 1_000, 30_000));

        Assert.Equal(HttpStatusCode.Forbidden, refused);
    }

    [Fact]
    public async Task A_cooperative_sees_whether_a_deal_s_buyer_is_verified()
    {
        var product = await factory.ProductAsync("buyer-verified");
        var cooperative = await admin.CooperativeAsync();
        await cooperative.Api.CreatedAsync($"/api/cooperatives/{cooperative.Id}/lots", Lot(product, 100, 25_000));
        var verified = await admin.BuyerAsync();
        var registered = await factory.Api().CreatedAsync("/api/buyers", new { name = "Người mua tự đăng ký", kind = "other", province = "Hà Nội" });
        var unverified = new Participant(registered.GetProperty("id").GetString()!, factory.Api(registered.GetProperty("apiKey").GetString()));

        await verified.Api.CreatedAsync($"/api/buyers/{verified.Id}/requests", Request(product, 10, 30_000));
        await unverified.Api.CreatedAsync($"/api/buyers/{unverified.Id}/requests", Request(product, 10, 30_000));

        var (_, deals) = await cooperative.Api.GetAsync($"/api/cooperatives/{cooperative.Id}/deals");
        Assert.Equal([(unverified.Id, false), (verified.Id, true)], deals.GetProperty("items").EnumerateArray()
            .Select(d => (d.GetProperty("buyerId").GetString(), d.GetProperty("buyerVerified").GetBoolean())));
    }

    [Fact]
    public async Task A_lot_past_its_shelf_life_is_refused()
    {
        var product = await factory.ProductAsync("stale", shelfLifeDays: 5);
        var cooperative = await admin.CooperativeAsync();
        var today = DateOnly.FromDateTime(factory.Clock.GetUtcNow().AddHours(7).DateTime);

        var (status, problem, _) = await cooperative.Api.PostAsync($"/api/cooperatives/{cooperative.Id}/lots",
            Lot(product, 10, 25_000) with { HarvestFrom = today.AddDays(-20), HarvestTo = today.AddDays(-6) });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(problem.GetProperty("errors").TryGetProperty("harvestTo", out _));
    }

    private LotBody Lot(string product, decimal kg, long ask) =>
        new(product, kg, "A", [new { scheme = "VietGAP" }], factory.Today.AddDays(9), factory.Today.AddDays(19), ask);

    private object Request(string product, decimal kg, long maxPrice) => new
    {
        product,
        quantityKg = kg,
        minGrade = "B",
        deliverFrom = factory.Today.AddDays(14),
        deliverBy = factory.Today.AddDays(27),
        maxVndPerKg = maxPrice,
        deliveryLocation = "Ha Noi",
    };

    private sealed record LotBody(string Product, decimal QuantityKg, string Grade, object[] Certifications, DateOnly HarvestFrom, DateOnly HarvestTo, long AskVndPerKg);
}
