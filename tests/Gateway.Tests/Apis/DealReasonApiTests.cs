using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace CoopMarket.Gateway.Tests.Apis;

/// <summary>A deal's reason over HTTP: the keys exactly as the market ranked by them, and the sentence in the language
/// Accept-Language asks for, Vietnamese by default, its letters and the đồng sign written as themselves.</summary>
[Collection(GatewayCollection.Name)]
public sealed class DealReasonApiTests(GatewayFactory factory)
{
    [Fact]
    public async Task A_deal_s_reason_carries_the_ranking_keys_and_a_Vietnamese_sentence_by_default()
    {
        var (cooperative, buyer, deal) = await DealAsync("reason-vi");
        var transport = deal.GetProperty("transportVndPerKg").GetInt64();

        var raw = await GetRawAsync($"/api/deals/{deal.GetProperty("id").GetString()}", buyer, acceptLanguage: null);

        var reason = JsonDocument.Parse(raw).RootElement.GetProperty("reason");
        var shelfDays = 18 - (deal.GetProperty("deliverOn").GetDateTime() - deal.GetProperty("harvestOn").GetDateTime()).Days;
        Assert.Equal("PriceTime", reason.GetProperty("policy").GetString());
        Assert.Equal((25_000 + transport, 25_000L, transport), (reason.GetProperty("landedVndPerKg").GetInt64(),
            reason.GetProperty("askVndPerKg").GetInt64(), reason.GetProperty("transportVndPerKg").GetInt64()));
        Assert.Equal(transport / 3, reason.GetProperty("roadKm").GetInt32()); // 3 đồng per kilogram and road-km
        Assert.Equal(shelfDays, reason.GetProperty("shelfLifeDaysAtDelivery").GetInt32());
        Assert.Equal(1, reason.GetProperty("arrivalRank").GetInt64()); // the product's first lot
        Assert.False(reason.GetProperty("valueChainMember").GetBoolean());
        Assert.Equal(["policy", "landedVndPerKg", "askVndPerKg", "transportVndPerKg", "roadKm", "shelfLifeDaysAtDelivery", "arrivalRank", "valueChainMember", "text"],
            reason.EnumerateObject().Select(p => p.Name));
        var vi = CultureInfo.GetCultureInfo("vi-VN");
        Assert.Contains(string.Create(vi, $"\"text\":\"Khớp theo nguyên tắc giá tốt nhất, lên chợ trước được trước: giá về đến nơi {25_000 + transport:N0} ₫/kg (giá chào 25.000 ₫/kg + vận chuyển {transport:N0} ₫/kg cho {transport / 3:N0} km đường bộ); "),
            raw, StringComparison.Ordinal);
        Assert.Contains($"còn {shelfDays} ngày bảo quản khi giao; lô thứ 1 theo thứ tự lên chợ.\"", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u", raw, StringComparison.Ordinal);

        // The cooperative's list of its deals speaks the same language.
        var list = await GetRawAsync($"/api/cooperatives/{cooperative.Id}/deals", cooperative, acceptLanguage: null);
        Assert.Contains("₫/kg", list, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("en", true)]
    [InlineData("en-US", true)]
    [InlineData("en-GB,en;q=0.9", true)]
    [InlineData("fr-FR, en;q=0.5", true)]
    [InlineData("vi", false)]
    [InlineData("vi-VN,vi;q=0.9,en;q=0.8", false)]
    [InlineData("en;q=0.2, vi;q=0.9", false)]
    [InlineData("fr", false)]
    [InlineData("*", false)]
    [InlineData(";;==,,q=x", false)]
    public async Task Accept_Language_chooses_English_only_when_the_caller_prefers_it(string acceptLanguage, bool english)
    {
        var (_, buyer, deal) = await DealAsync("reason-lang");

        var raw = await GetRawAsync($"/api/deals/{deal.GetProperty("id").GetString()}", buyer, acceptLanguage);

        var text = JsonDocument.Parse(raw).RootElement.GetProperty("reason").GetProperty("text").GetString()!;
        if (english)
        {
            Assert.StartsWith("Matched under best price, first come first served: landed at ", text, StringComparison.Ordinal);
            Assert.Contains("(ask 25,000 VND/kg + transport ", text, StringComparison.Ordinal);
        }
        else
        {
            Assert.StartsWith("Khớp theo nguyên tắc giá tốt nhất", text, StringComparison.Ordinal);
            Assert.Contains("(giá chào 25.000 ₫/kg + vận chuyển ", text, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("en-GB", "en")]
    [InlineData(null, "vi")]
    public async Task Answers_with_reasons_vary_by_Accept_Language_and_name_their_language(string? acceptLanguage, string language)
    {
        var (cooperative, buyer, deal) = await DealAsync($"reason-header-{language}");
        using var http = factory.CreateClient();

        foreach (var (path, caller) in new[]
                 {
                     ($"/api/deals/{deal.GetProperty("id").GetString()}", buyer), ($"/api/cooperatives/{cooperative.Id}/deals", cooperative),
                     ($"/api/buyers/{buyer.Id}/deals", buyer), ($"/api/lots/{deal.GetProperty("lotId").GetString()}/deals", cooperative),
                 })
        {
            var response = await SendAsync(http, path, caller, acceptLanguage);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("Accept-Language", response.Headers.Vary);
            Assert.Equal([language], response.Content.Headers.ContentLanguage);
        }

        // A problem is in English whatever was asked: it still varies, but names no language.
        var missing = await SendAsync(http, "/api/deals/no-such-deal", buyer, acceptLanguage);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("Accept-Language", missing.Headers.Vary);
        Assert.Empty(missing.Content.Headers.ContentLanguage);

        // Answers without reasons do not vary.
        var market = await SendAsync(http, $"/api/markets/{deal.GetProperty("product").GetString()}", buyer, acceptLanguage);
        Assert.Equal(HttpStatusCode.OK, market.StatusCode);
        Assert.DoesNotContain("Accept-Language", market.Headers.Vary);
    }

    [Fact]
    public async Task The_request_s_answer_gives_its_deals_reasons_in_the_language_asked()
    {
        var product = await factory.ProductAsync("reason-post");
        var cooperative = await factory.Admin().CooperativeAsync("HTX lý do");
        await cooperative.Api.CreatedAsync($"/api/cooperatives/{cooperative.Id}/lots", Lot(product));
        var buyer = await factory.Admin().BuyerAsync("Người mua lý do");

        using var http = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/api/buyers/{buyer.Id}/requests", UriKind.Relative))
        {
            Content = JsonContent.Create(Request(product)),
        };
        request.Headers.Authorization = new("Bearer", BuyerKey(buyer));
        request.Headers.AcceptLanguage.ParseAdd("en");
        var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var placed = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.StartsWith("Matched under", placed.GetProperty("deals")[0].GetProperty("reason").GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Contains("Accept-Language", response.Headers.Vary);
        Assert.Equal(["en"], response.Content.Headers.ContentLanguage);
    }

    private object Lot(string product) => new
    {
        product, quantityKg = 1_000, grade = "A", harvestFrom = factory.Today.AddDays(9), harvestTo = factory.Today.AddDays(10), askVndPerKg = 25_000,
    };

    private object Request(string product) => new
    {
        product, quantityKg = 400, deliverFrom = factory.Today.AddDays(11), deliverBy = factory.Today.AddDays(20), maxVndPerKg = 30_000,
        deliveryLocation = "Ha Noi",
    };

    private async Task<(Participant Cooperative, Participant Buyer, JsonElement Deal)> DealAsync(string name)
    {
        var product = await factory.ProductAsync(name);
        var cooperative = await factory.Admin().CooperativeAsync($"HTX {name}");
        await cooperative.Api.CreatedAsync($"/api/cooperatives/{cooperative.Id}/lots", Lot(product));
        var buyer = await factory.Admin().BuyerAsync($"Người mua {name}");
        var placed = await buyer.Api.CreatedAsync($"/api/buyers/{buyer.Id}/requests", Request(product));
        return (cooperative, buyer, placed.GetProperty("deals")[0]);
    }

    private static string BuyerKey(Participant participant) => participant.Api.Key!;

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, string path, Participant caller, string? acceptLanguage)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.Authorization = new("Bearer", caller.Api.Key);
        if (acceptLanguage is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept-Language", acceptLanguage);
        }

        return await http.SendAsync(request);
    }

    /// <summary>The raw JSON a client receives.</summary>
    private async Task<string> GetRawAsync(string path, Participant caller, string? acceptLanguage)
    {
        using var http = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.Authorization = new("Bearer", caller.Api.Key);
        if (acceptLanguage is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept-Language", acceptLanguage);
        }

        var response = await http.SendAsync(request);
        var raw = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path} answered {(int)response.StatusCode}: {raw}");
        return raw;
    }
}
