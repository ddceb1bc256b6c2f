using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CoopMarket.Gateway.Contracts;
using Microsoft.Playwright;

namespace CoopMarket.Web.Tests;

/// <summary>The cooperative's shortfall and auto-confirm forms refused: the reason, in Vietnamese, beside the field it
/// is about or above the form, with what was typed kept; then accepted.</summary>
[Collection(WebCollection.Name)]
public sealed class CoopFormsTests(WebAppFixture web)
{
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

    [Fact]
    public async Task An_unknown_buyer_in_the_auto_confirm_rules_is_named_beside_the_list_and_a_known_one_is_saved()
    {
        var (_, key) = await web.CooperativeAsync("Hợp tác xã Tự xác nhận");
        using var api = new HttpClient { BaseAddress = web.Address };
        api.DefaultRequestHeaders.Authorization = new("Bearer", WebAppFixture.AdminKey);
        using var registered = await api.PostAsJsonAsync("/api/buyers", new RegisterBuyer("Bếp ăn Tự xác nhận", "wholesaler", "Hòa Bình"));
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var buyerId = (await registered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        var page = await web.PageAsync();
        await WebAppFixture.SignInAsync(page, key);
        await page.GotoAsync("/coop/auto-confirm");
        var buyers = page.GetByLabel("Người mua (mỗi dòng một mã)");
        var save = page.GetByRole(AriaRole.Button, new() { Name = "Lưu" });
        await buyers.FillAsync($"{buyerId}\nbuyer-nobody");
        await save.ClickAsync();
        await Assertions.Expect(page.Locator("#buyerIds-error")).ToHaveTextAsync("Không có người mua nào có mã này.");
        await Assertions.Expect(buyers).ToHaveValueAsync($"{buyerId}\nbuyer-nobody");

        await buyers.FillAsync(buyerId);
        await save.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Đã lưu.");
        await Assertions.Expect(buyers).ToHaveValueAsync(buyerId);
    }
}
