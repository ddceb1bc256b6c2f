using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CoopMarket.Gateway.Contracts;
using CoopMarket.Grains.Catalog;
using Microsoft.Playwright;

namespace CoopMarket.Web.Tests;

/// <summary>A cooperative's two forms that change what the market does with its lots: a shortfall report, which shrinks
/// the deals not yet shipped, and its auto-confirm rules, which confirm the deals made after them.</summary>
[Collection(WebCollection.Name)]
public sealed class CooperativeFormsTests(WebAppFixture web)
{
    [Fact]
    public async Task A_shortfall_reported_on_the_lots_page_shrinks_the_lot_and_its_deal_and_a_quantity_above_the_lot_is_refused_in_words()
    {
        using var api = new HttpClient { BaseAddress = web.Address };
        var (product, cooperativeKey) = await CooperativeWithLotAsync(api, "Bưởi thiếu hụt", "Hợp tác xã Thiếu hụt");
        var buyer = await web.BuyerAsync("Bếp ăn Thiếu hụt");
        var deal = (await PlaceAsync(api, buyer, product.Code, 60)).GetProperty("id").GetString();

        var page = await web.PageAsync();
        await WebAppFixture.SignInAsync(page, cooperativeKey);
        await page.GotoAsync("/coop/lots");
        await page.Locator("table tbody tr").GetByRole(AriaRole.Link, new() { Name = "Báo thiếu hụt sản lượng" }).ClickAsync();
        var quantity = page.GetByLabel("Số lượng lô hàng còn lại thực tế (kg)");

        // More than the lot holds is no shortfall: the field says why, and nothing changed.
        await quantity.FillAsync("120");
        await page.GetByRole(AriaRole.Button, new() { Name = "Gửi báo thiếu hụt" }).ClickAsync();
        await Assertions.Expect(quantity).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("chưa có gì được lưu");
        await Assertions.Expect(page.Locator("#newQuantityKg-error")).ToContainTextAsync("100 kg");
        await Accessibility.AssertCleanAsync(page);

        await quantity.FillAsync("40.5");
        await page.GetByRole(AriaRole.Button, new() { Name = "Gửi báo thiếu hụt" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("lô hàng còn 40,5 kg");
        await Assertions.Expect(page.Locator("table tbody tr td[data-label='Còn chào bán']")).ToHaveTextAsync("0 kg");
        await Accessibility.AssertCleanAsync(page);

        api.DefaultRequestHeaders.Authorization = new("Bearer", buyer.Key);
        var shrunk = await api.GetFromJsonAsync<JsonElement>($"/api/deals/{deal}");
        Assert.Equal(40.5m, shrunk.GetProperty("quantityKg").GetDecimal());
    }

    [Fact]
    public async Task Auto_confirm_rules_saved_on_their_page_confirm_the_next_deal_and_an_unknown_buyer_saves_nothing()
    {
        using var api = new HttpClient { BaseAddress = web.Address };
        var (product, cooperativeKey) = await CooperativeWithLotAsync(api, "Cam tự xác nhận", "Hợp tác xã Tự xác nhận");
        var trusted = await web.BuyerAsync("Siêu thị Tin cậy");
        var stranger = await web.BuyerAsync("Siêu thị Lạ");

        var page = await web.PageAsync();
        await WebAppFixture.SignInAsync(page, cooperativeKey);
        await page.GotoAsync("/coop/auto-confirm");
        var buyers = page.GetByLabel("Người mua (mỗi dòng một mã)");

        await buyers.FillAsync($"{trusted.Id}\nbuyer-nobody-knows");
        await page.GetByRole(AriaRole.Button, new() { Name = "Lưu" }).ClickAsync();
        await Assertions.Expect(buyers).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert).First).ToBeVisibleAsync();
        await Accessibility.AssertCleanAsync(page);
        Assert.Equal("proposed", (await PlaceAsync(api, trusted, product.Code, 10)).GetProperty("status").GetString());

        await buyers.FillAsync(trusted.Id);
        await page.GetByRole(AriaRole.Button, new() { Name = "Lưu" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Đã lưu.");
        await Assertions.Expect(buyers).ToHaveValueAsync(trusted.Id);
        await Accessibility.AssertCleanAsync(page);

        Assert.Equal("confirmed", (await PlaceAsync(api, trusted, product.Code, 10)).GetProperty("status").GetString());
        Assert.Equal("proposed", (await PlaceAsync(api, stranger, product.Code, 10)).GetProperty("status").GetString());
    }

    /// <summary>A product of the test's own and a cooperative with a 100 kg lot of it; answers the product and the cooperative's key.</summary>
    private async Task<(Product Product, string Key)> CooperativeWithLotAsync(HttpClient api, string productName, string cooperativeName)
    {
        var product = await web.ProductAsync(productName);
        var (cooperativeId, key) = await web.CooperativeAsync(cooperativeName);
        api.DefaultRequestHeaders.Authorization = new("Bearer", key);
        using var posted = await api.PostAsJsonAsync($"/api/cooperatives/{cooperativeId}/lots", new
        {
            product = product.Code, quantityKg = 100, grade = "A", certifications = Array.Empty<object>(),
            harvestFrom = "2026-12-01", harvestTo = "2026-12-05", askVndPerKg = 20000,
        });
        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        return (product, key);
    }

    /// <summary>Places a request the open lot fills with one deal, and answers that deal.</summary>
    private static async Task<JsonElement> PlaceAsync(HttpClient api, (string Id, string Key) buyer, string product, decimal kg)
    {
        api.DefaultRequestHeaders.Authorization = new("Bearer", buyer.Key);
        using var placed = await api.PostAsJsonAsync($"/api/buyers/{buyer.Id}/requests",
            new { product, quantityKg = kg, deliverFrom = "2026-12-01", deliverBy = "2026-12-20", maxVndPerKg = 40000 });
        Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
        return Assert.Single((await placed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("deals").EnumerateArray());
    }

    [Fact]
    public async Task A_refused_shortfall_says_why_in_Vietnamese_beside_the_field_or_for_a_lot_withdrawn_meanwhile_above_the_form()
    {
        var product = await web.ProductAsync("Bí xanh thiếu hụt");
        var (cooperativeId, key) = await web.CooperativeAsync("Hợp tác xã Thiếu hụt");
        using var api = new HttpClient { BaseAddress = web.Address };
        api.DefaultRequestHeaders.Authorization = new("Bearer", key);
        using var posted = await api.PostAsJsonAsync($"/api/cooperatives/{cooperativeId}/lots",
            new { product = product.Code, quantityKg = 100, grade = "A", certifications = Array.Empty<object>(),
                harvestFrom = "2026-12-01", harvestTo = "2026-12-05", askVndPerKg = 20000 });
        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        var lotId = (await posted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        var page = await web.PageAsync();
        await WebAppFixture.SignInAsync(page, key);
        await page.GotoAsync($"/coop/lots?shortfall={lotId}");
        var quantity = page.GetByLabel("Số lượng lô hàng còn lại thực tế (kg)");
        var send = page.GetByRole(AriaRole.Button, new() { Name = "Gửi báo thiếu hụt" });
        await quantity.FillAsync("150");
        await send.ClickAsync();
        await Assertions.Expect(page.Locator("#newQuantityKg-error")).ToHaveTextAsync("Phải ít hơn 100 kg lô hàng đang có.");
        await Assertions.Expect(quantity).ToHaveValueAsync("150");

        Assert.Equal(HttpStatusCode.OK, (await api.DeleteAsync(new Uri($"/api/lots/{lotId}", UriKind.Relative))).StatusCode);
        await quantity.FillAsync("60");
        await send.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Lô hàng đã rút: không thể thay đổi số lượng nữa.");
    }
}
