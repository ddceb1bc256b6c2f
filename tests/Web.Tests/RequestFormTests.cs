using Microsoft.Playwright;

namespace CoopMarket.Web.Tests;

/// <summary>The buyer's request form, refused as a whole: the refusal names its amounts, and a Vietnamese page still
/// says it in Vietnamese.</summary>
[Collection(WebCollection.Name)]
public sealed class RequestFormTests(WebAppFixture web)
{
    [Fact]
    public async Task A_self_registered_buyer_asking_more_than_its_cap_is_refused_in_Vietnamese_with_the_cap()
    {
        var product = await web.ProductAsync("Cải ngọt vượt hạn mức");
        var page = await web.PageAsync();
        await page.GotoAsync("/buyer/register");
        await page.GetByLabel("Tên giao dịch").FillAsync("Quán ăn Hạn mức");
        await page.GetByLabel("Loại người mua").SelectOptionAsync("restaurant");
        await page.GetByLabel("Tỉnh").FillAsync("Hòa Bình");
        await page.GetByRole(AriaRole.Button, new() { Name = "Đăng ký" }).ClickAsync();
        await Assertions.Expect(page.Locator("#api-key")).ToContainTextAsync("cm.buyer-");

        // More than an unverified buyer may ask for at once, whatever others registered from the same address hold.
        await page.GotoAsync("/buyer/requests/new");
        await page.GetByLabel("Sản phẩm").SelectOptionAsync(product.Code);
        await page.GetByLabel("Số lượng (kg)").FillAsync("1001");
        await page.GetByLabel("Giá tối đa đã gồm vận chuyển (₫/kg)").FillAsync("40000");
        await page.GetByRole(AriaRole.Button, new() { Name = "Gửi yêu cầu mua" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync(
            "Người mua chưa được xác minh, cùng với những người mua khác đăng ký từ cùng địa chỉ, chỉ được có cùng lúc tối đa 1000 kg, trong tối đa 100 yêu cầu mua, đã đặt mà chưa nhận hàng; phòng Nông nghiệp huyện xác minh người mua.");
        await Assertions.Expect(page.GetByLabel("Số lượng (kg)")).ToHaveValueAsync("1001");
    }
}
