using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace CoopMarket.Web.Tests;

/// <summary>The buyer's requests page stays bounded however many deals fill a request: the latest few under each
/// request, and the request's own page, paged, for all of them.</summary>
[Collection(WebCollection.Name)]
public sealed partial class BuyerPagesTests(WebAppFixture web)
{
    [Fact]
    public async Task A_request_filled_by_many_lots_shows_its_latest_deals_and_links_to_all_of_them()
    {
        var product = await web.ProductAsync("Na dai nhiều lô");
        var (cooperativeId, cooperativeKey) = await web.CooperativeAsync("Hợp tác xã Nhiều lô");
        using var api = new HttpClient { BaseAddress = web.Address };
        api.DefaultRequestHeaders.Authorization = new("Bearer", cooperativeKey);
        for (var lot = 0; lot < 7; lot++)
        {
            Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync($"/api/cooperatives/{cooperativeId}/lots",
                new { product = product.Code, quantityKg = 10, grade = "A", certifications = Array.Empty<object>(),
                    harvestFrom = "2026-12-01", harvestTo = "2026-12-05", askVndPerKg = 20000 + lot })).StatusCode);
        }

        var buyer = await web.BuyerAsync("Bếp ăn Nhiều lô");
        var other = await web.BuyerAsync("Bếp ăn Hàng xóm");
        api.DefaultRequestHeaders.Authorization = new("Bearer", buyer.Key);
        using var placed = await api.PostAsJsonAsync($"/api/buyers/{buyer.Id}/requests",
            new { product = product.Code, quantityKg = 70, deliverFrom = "2026-12-01", deliverBy = "2026-12-20", maxVndPerKg = 40000 });
        Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
        var requestId = (await placed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        using var browser = await SignedInAsync(buyer.Key);
        var list = await browser.GetStringAsync(new Uri("/buyer/requests", UriKind.Relative));
        Assert.Equal(5, DealRow().Count(list));
        Assert.Contains($"href=\"/buyer/requests/{requestId}\"", list, StringComparison.Ordinal);

        var all = await browser.GetStringAsync(new Uri($"/buyer/requests/{requestId}", UriKind.Relative));
        Assert.Equal(7, DealRow().Count(all));
        Assert.Contains("Hợp tác xã Nhiều lô", all, StringComparison.Ordinal);

        using var stranger = await SignedInAsync(other.Key);
        using var refused = await stranger.GetAsync(new Uri($"/buyer/requests/{requestId}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
    }

    /// <summary>A browser's cookie jar signed in through the form, anti-forgery token and all.</summary>
    private async Task<HttpClient> SignedInAsync(string key)
    {
        var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = web.Address };
        var token = Token().Match(await browser.GetStringAsync(new Uri("/signin", UriKind.Relative)));
        using var signedIn = await browser.PostAsync(new Uri("/signin", UriKind.Relative),
            new FormUrlEncodedContent([new("key", key), new("__RequestVerificationToken", WebUtility.HtmlDecode(token.Groups[1].Value))]));
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        return browser;
    }

    /// <summary>A deal's row: each has its date cell first.</summary>
    [GeneratedRegex("<tr>\\s*<td data-label=\"Ngày\">")]
    private static partial Regex DealRow();

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
