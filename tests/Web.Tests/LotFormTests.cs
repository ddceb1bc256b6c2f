using Microsoft.Playwright;

namespace CoopMarket.Web.Tests;

/// <summary>The lot form refusing a lot in Vietnamese where the reason names an amount: the amount stays apart from the
/// sentence, so the page finds the sentence's translation instead of showing the API's English.</summary>
[Collection(WebCollection.Name)]
public sealed class LotFormTests(WebAppFixture web)
{
    [Fact]
    public async Task A_lot_harvested_past_its_shelf_life_is_refused_in_Vietnamese_with_its_date_and_days()
    {
        // The catalog keeps the test's product 20 days; the market's day is 1 December 2026.
        var product = await web.ProductAsync("Cải ngọt quá hạn");
        var (_, key) = await web.CooperativeAsync("Hợp tác xã Quá hạn");

        var page = await web.PageAsync();
        await WebAppFixture.SignInAsync(page, key);
        await page.GotoAsync("/coop/lots/new");
        await page.GetByLabel("Sản phẩm").SelectOptionAsync(product.Code);
        await page.GetByLabel("Loại", new() { Exact = true }).SelectOptionAsync("A");
        await page.GetByLabel("Số lượng (kg)").FillAsync("100");
        await page.GetByLabel("Thu hoạch từ ngày").FillAsync("2026-10-01");
        await page.GetByLabel("Thu hoạch đến ngày").FillAsync("2026-10-10");
        await page.GetByLabel("Giá chào bán (₫/kg)").FillAsync("20000");
        await page.GetByRole(AriaRole.Button, new() { Name = "Đăng lô hàng" }).ClickAsync();

        await Assertions.Expect(page.Locator("#harvestTo-error")).ToHaveTextAsync(
            "Thu hoạch đến ngày 2026-10-10, lô hàng đã quá 20 ngày bảo quản của sản phẩm: không thể bán tươi được nữa.");
        await Assertions.Expect(page.GetByLabel("Thu hoạch đến ngày")).ToHaveAttributeAsync("aria-invalid", "true");
        await Accessibility.AssertCleanAsync(page);
    }
}
