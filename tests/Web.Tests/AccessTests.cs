using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace CoopMarket.Web.Tests;

/// <summary>Who may open which page and file: each participant only its own, the district office's only the administrator.</summary>
[Collection(WebCollection.Name)]
public sealed partial class AccessTests(WebAppFixture web)
{
    [Theory]
    [InlineData("/admin")]
    [InlineData("/admin/buyers")]
    [InlineData("/admin/value-chains")]
    [InlineData("/admin/export/deals.csv")]
    [InlineData("/admin/export/unfilled-demand.csv")]
    [InlineData("/coop/lots")]
    [InlineData("/coop/deals")]
    [InlineData("/buyer/requests")]
    [InlineData("/inbox")]
    [InlineData("/inbox/events")]
    public async Task A_stranger_is_sent_to_sign_in(string path)
    {
        using var browser = Browser();
        using var response = await browser.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/signin", response.Headers.Location?.AbsolutePath);
    }

    [Fact]
    public async Task A_cooperative_opens_its_own_pages_and_none_of_the_district_office_or_the_buyers()
    {
        var (_, key) = await web.CooperativeAsync("Hợp tác xã Quyền hạn");
        using var browser = Browser();
        Assert.Equal(HttpStatusCode.Redirect, (await SignInAsync(browser, key)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(new Uri("/coop/lots", UriKind.Relative))).StatusCode);
        foreach (var path in new[] { "/admin", "/admin/export/deals.csv", "/buyer/requests" })
        {
            using var refused = await browser.GetAsync(new Uri(path, UriKind.Relative));
            Assert.Equal((HttpStatusCode.Redirect, "/signin"), (refused.StatusCode, refused.Headers.Location?.AbsolutePath));
        }
    }

    [Fact]
    public async Task Another_cooperatives_lot_is_not_shown_even_when_named_in_the_address()
    {
        var (ownerId, ownerKey) = await web.CooperativeAsync("Hợp tác xã Chủ lô");
        var (_, otherKey) = await web.CooperativeAsync("Hợp tác xã Hàng xóm");
        var product = await web.ProductAsync("Su su riêng tư");
        using var api = new HttpClient { BaseAddress = web.Address };
        api.DefaultRequestHeaders.Authorization = new("Bearer", ownerKey);
        using var posted = await api.PostAsync(new Uri($"/api/cooperatives/{ownerId}/lots", UriKind.Relative), new StringContent(
            $$"""{"product":"{{product.Code}}","quantityKg":321,"grade":"B","certifications":[],"harvestFrom":"2026-12-01","harvestTo":"2026-12-05","askVndPerKg":9000}""",
            Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        var lotId = System.Text.Json.JsonDocument.Parse(await posted.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString();

        using var owner = Browser();
        await SignInAsync(owner, ownerKey);
        Assert.Contains("321 kg", await owner.GetStringAsync(new Uri($"/coop/lots?posted={lotId}", UriKind.Relative)), StringComparison.Ordinal);
        using var other = Browser();
        await SignInAsync(other, otherKey);
        Assert.DoesNotContain("321 kg", await other.GetStringAsync(new Uri($"/coop/lots?posted={lotId}", UriKind.Relative)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rotated_key_signs_its_browser_out()
    {
        var (id, key) = await web.CooperativeAsync("Hợp tác xã Đổi khóa");
        using var browser = Browser();
        await SignInAsync(browser, key);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(new Uri("/coop/lots", UriKind.Relative))).StatusCode);

        using var api = new HttpClient { BaseAddress = web.Address };
        api.DefaultRequestHeaders.Authorization = new("Bearer", key);
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsync(new Uri($"/api/cooperatives/{id}/key", UriKind.Relative), null)).StatusCode);

        using var after = await browser.GetAsync(new Uri("/coop/lots", UriKind.Relative));
        Assert.Equal((HttpStatusCode.Redirect, "/signin"), (after.StatusCode, after.Headers.Location?.AbsolutePath));
    }

    [Fact]
    public async Task Static_files_are_served_without_checking_the_participants_cookie()
    {
        // A rotated key makes the cookie stale: a request that checks the cookie answers by deleting it.
        var (id, key) = await web.CooperativeAsync("Hợp tác xã Tệp tĩnh");
        using var browser = Browser();
        await SignInAsync(browser, key);
        using var api = new HttpClient { BaseAddress = web.Address };
        api.DefaultRequestHeaders.Authorization = new("Bearer", key);
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsync(new Uri($"/api/cooperatives/{id}/key", UriKind.Relative), null)).StatusCode);

        foreach (var file in new[] { "/site.css", "/inbox.js" })
        {
            using var response = await browser.GetAsync(new Uri(file, UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.False(response.Headers.Contains("Set-Cookie"), $"{file} checked the sign-in cookie.");
        }

        using var page = await browser.GetAsync(new Uri("/coop/lots", UriKind.Relative));
        Assert.True(page.Headers.Contains("Set-Cookie"), "The stale cookie was never checked, so the test shows nothing.");
    }

    [Fact]
    public async Task A_form_posted_without_its_anti_forgery_token_is_refused()
    {
        var (_, key) = await web.CooperativeAsync("Hợp tác xã Giả mạo");
        using var browser = Browser();
        await SignInAsync(browser, key);
        using var forged = await browser.PostAsync(new Uri("/coop/lots/new", UriKind.Relative),
            new FormUrlEncodedContent([new("product", "x"), new("quantityKg", "1")]));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
    }

    [Fact]
    public async Task The_exports_are_UTF8_CSV_with_a_byte_order_mark_and_Vietnamese_intact()
    {
        var (cooperativeId, key) = await web.CooperativeAsync("Hợp tác xã Xuất dữ liệu");
        var product = await web.ProductAsync("Quýt xuất CSV");
        using var api = new HttpClient { BaseAddress = web.Address };
        api.DefaultRequestHeaders.Authorization = new("Bearer", key);
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsync(new Uri($"/api/cooperatives/{cooperativeId}/lots", UriKind.Relative), new StringContent(
            $$"""{"product":"{{product.Code}}","quantityKg":70,"grade":"A","certifications":[],"harvestFrom":"2026-12-01","harvestTo":"2026-12-05","askVndPerKg":12000}""",
            Encoding.UTF8, "application/json"))).StatusCode);
        api.DefaultRequestHeaders.Authorization = new("Bearer", WebAppFixture.AdminKey);
        using var registered = await api.PostAsync(new Uri("/api/buyers", UriKind.Relative), new StringContent(
            """{"name":"Đầu mối Chợ Đồng Xuân","kind":"wholesaler","province":"Hà Nội"}""", Encoding.UTF8, "application/json"));
        var buyer = System.Text.Json.JsonDocument.Parse(await registered.Content.ReadAsStringAsync()).RootElement;
        api.DefaultRequestHeaders.Authorization = new("Bearer", buyer.GetProperty("apiKey").GetString());
        foreach (var kg in new[] { 70, 30 })
        {
            Assert.Equal(HttpStatusCode.Created, (await api.PostAsync(new Uri($"/api/buyers/{buyer.GetProperty("id").GetString()}/requests", UriKind.Relative), new StringContent(
                $$"""{"product":"{{product.Code}}","quantityKg":{{kg}},"deliverFrom":"2026-12-01","deliverBy":"2026-12-20","maxVndPerKg":40000}""",
                Encoding.UTF8, "application/json"))).StatusCode);
        }

        using var office = Browser();
        await SignInAsync(office, WebAppFixture.AdminKey);
        using var deals = await office.GetAsync(new Uri("/admin/export/deals.csv", UriKind.Relative));
        Assert.Equal("text/csv", deals.Content.Headers.ContentType?.MediaType);
        var bytes = await deals.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var text = Encoding.UTF8.GetString(bytes[3..]);
        Assert.StartsWith("id,madeAt,product,cooperative,commune,buyer,", text, StringComparison.Ordinal);
        Assert.Contains($",\"{product.Code}\",\"Hợp tác xã Xuất dữ liệu\",\"Mường Khến\",\"Đầu mối Chợ Đồng Xuân\",70,12000,", text, StringComparison.Ordinal);

        using var unfilled = await office.GetAsync(new Uri("/admin/export/unfilled-demand.csv", UriKind.Relative));
        Assert.Equal("text/csv", unfilled.Content.Headers.ContentType?.MediaType);
        var rest = await unfilled.Content.ReadAsByteArrayAsync();
        Assert.Equal([0xEF, 0xBB, 0xBF], rest[..3]);
        Assert.Contains($",\"{product.Code}\",\"Đầu mối Chợ Đồng Xuân\",30,30,40000,", Encoding.UTF8.GetString(rest[3..]), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/trace/0000000000000000")]
    [InlineData("/trace/not-a-code")]
    [InlineData("/trace/%3Cscript%3Ealert(1)%3C%2Fscript%3E")]
    [InlineData("/trace/0000000000000000000000000000000000000000000000000000000000000000")]
    public async Task An_unknown_or_malformed_trace_code_gets_a_friendly_not_found_page(string path)
    {
        using var browser = Browser();
        using var response = await browser.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("Không tìm thấy mã truy xuất", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_deal_step_is_refused_without_the_forms_anti_forgery_token()
    {
        var (_, key) = await web.CooperativeAsync("Hợp tác xã Không token");
        using var browser = Browser();
        await SignInAsync(browser, key);
        using var response = await browser.PostAsync(new Uri("/deals/deal-none/confirm", UriKind.Relative),
            new FormUrlEncodedContent([new("idempotencyKey", "k1")]));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private HttpClient Browser() => new(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = web.Address };

    /// <summary>As a browser signs in: the form is opened first, and its anti-forgery token goes back with the key.</summary>
    private static async Task<HttpResponseMessage> SignInAsync(HttpClient browser, string key)
    {
        var token = Token().Match(await browser.GetStringAsync(new Uri("/signin", UriKind.Relative)));
        Assert.True(token.Success, "The sign-in page carries no anti-forgery token.");
        return await browser.PostAsync(new Uri("/signin", UriKind.Relative),
            new FormUrlEncodedContent([new("key", key), new("__RequestVerificationToken", WebUtility.HtmlDecode(token.Groups[1].Value))]));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
