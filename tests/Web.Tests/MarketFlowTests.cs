using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace CoopMarket.Web.Tests;

/// <summary>The web app's main flow in a real browser, in Vietnamese: a cooperative posts a lot, a buyer registers and
/// places a request, the deal shows on both screens, and the district office's overview counts it — on a desktop
/// screen and on a 390×844 phone.</summary>
[Collection(WebCollection.Name)]
public sealed partial class MarketFlowTests(WebAppFixture web)
{
    [Theory]
    [InlineData("desktop", 1280, 900)]
    [InlineData("phone", 390, 844)]
    public async Task A_lot_and_a_request_make_a_deal_both_sides_and_the_district_office_see(string screen, int width, int height)
    {
        var product = await web.ProductAsync($"Bưởi đỏ thử {screen}");
        var cooperativeName = $"Hợp tác xã Mường Khến thử ({screen})";
        var (_, cooperativeKey) = await web.CooperativeAsync(cooperativeName);

        // The cooperative signs in and posts a lot; a first try without a quantity comes back with what was typed.
        var cooperative = await web.PageAsync(width, height);
        await WebAppFixture.SignInAsync(cooperative, cooperativeKey);
        await cooperative.GotoAsync("/coop/lots/new");
        await Accessibility.AssertCleanAsync(cooperative);
        await cooperative.GetByLabel("Sản phẩm").SelectOptionAsync(product.Code);
        await cooperative.GetByLabel("Loại", new() { Exact = true }).SelectOptionAsync("A");
        await cooperative.GetByLabel("VietGAP").CheckAsync();
        await cooperative.GetByLabel("Giá chào bán (₫/kg)").FillAsync("25000");
        await cooperative.GetByRole(AriaRole.Button, new() { Name = "Đăng lô hàng" }).ClickAsync();
        await Assertions.Expect(cooperative.Locator("#quantityKg-error")).ToHaveTextAsync("Bắt buộc.");
        await Assertions.Expect(cooperative.GetByLabel("Giá chào bán (₫/kg)")).ToHaveValueAsync("25000");
        await Assertions.Expect(cooperative.GetByLabel("VietGAP")).ToBeCheckedAsync();
        await Accessibility.AssertCleanAsync(cooperative);
        await cooperative.GetByLabel("Số lượng (kg)").FillAsync("500");
        await cooperative.GetByRole(AriaRole.Button, new() { Name = "Đăng lô hàng" }).ClickAsync();
        await Assertions.Expect(cooperative.GetByRole(AriaRole.Status)).ToContainTextAsync("Đã đăng lô: 500 kg");
        await Assertions.Expect(cooperative.Locator("table")).ToContainTextAsync("25.000 ₫/kg");

        // A buyer registers itself and asks for the same product.
        var buyer = await web.PageAsync(width, height);
        var buyerName = $"Siêu thị Hòa Bình xanh ({screen})";
        await buyer.GotoAsync("/buyer/register");
        await buyer.GetByLabel("Tên giao dịch").FillAsync(buyerName);
        await buyer.GetByLabel("Loại người mua").SelectOptionAsync("supermarket");
        await buyer.GetByLabel("Tỉnh").FillAsync("Hòa Bình");
        await buyer.GetByRole(AriaRole.Button, new() { Name = "Đăng ký" }).ClickAsync();
        await Assertions.Expect(buyer.Locator("#api-key")).ToContainTextAsync("cm.buyer-");
        await buyer.GotoAsync("/buyer/requests/new");
        await Accessibility.AssertCleanAsync(buyer);
        await buyer.GetByLabel("Sản phẩm").SelectOptionAsync(product.Code);
        await buyer.GetByLabel("Số lượng (kg)").FillAsync("500");
        await buyer.GetByLabel("Giá tối đa đã gồm vận chuyển (₫/kg)").FillAsync("40000");
        await buyer.GetByRole(AriaRole.Button, new() { Name = "Gửi yêu cầu mua" }).ClickAsync();

        // The buyer sees who filled it and why; the cooperative sees the deal and its buyer.
        await Assertions.Expect(buyer.GetByRole(AriaRole.Status)).ToHaveTextAsync("Đã gửi yêu cầu mua.");
        var filled = buyer.Locator("table tbody tr");
        await Assertions.Expect(filled).ToHaveCountAsync(1);
        await Assertions.Expect(filled).ToContainTextAsync(cooperativeName);
        await Assertions.Expect(filled).ToContainTextAsync("500 kg");
        await Assertions.Expect(filled).ToContainTextAsync("25.000 ₫/kg");
        await Assertions.Expect(buyer.Locator("section")).ToContainTextAsync("Đã khớp 500 kg, còn cần 0 kg");
        // Why, as a sentence in the reader's language, not the reason's fields.
        await Assertions.Expect(filled.Locator("td[data-label='Lý do khớp']")).ToContainTextAsync("Khớp theo nguyên tắc");
        await Assertions.Expect(filled).Not.ToContainTextAsync("Policy =");
        await Accessibility.AssertCleanAsync(buyer);
        await buyer.ScreenshotAsync(new() { Path = Path.Combine(WebAppFixture.Screenshots, $"buyer-requests-{screen}.png"), FullPage = true });

        await cooperative.GetByRole(AriaRole.Link, new() { Name = "Giao dịch của tôi" }).ClickAsync();
        var sold = cooperative.Locator("table tbody tr");
        await Assertions.Expect(sold).ToHaveCountAsync(1);
        await Assertions.Expect(sold).ToContainTextAsync(buyerName);
        await Assertions.Expect(sold).ToContainTextAsync("500 kg");
        await Accessibility.AssertCleanAsync(cooperative);
        await cooperative.ScreenshotAsync(new() { Path = Path.Combine(WebAppFixture.Screenshots, $"cooperative-deals-{screen}.png"), FullPage = true });

        // The cooperative confirms and ships; the buyer records what arrived; the label's QR page names the cooperative.
        var soldStatus = sold.Locator("td[data-label='Trạng thái']");
        await sold.GetByRole(AriaRole.Button, new() { Name = "Xác nhận" }).ClickAsync();
        await Assertions.Expect(soldStatus).ToHaveTextAsync("đã xác nhận");
        await sold.GetByRole(AriaRole.Button, new() { Name = "Đã giao hàng đi" }).ClickAsync();
        await Assertions.Expect(soldStatus).ToHaveTextAsync("đã gửi hàng");
        await Assertions.Expect(sold.GetByRole(AriaRole.Button)).ToHaveCountAsync(0);

        // The buyer's page still offers to cancel, as it did while the deal was proposed: the market refuses, in words.
        await filled.GetByRole(AriaRole.Button, new() { Name = "Hủy giao dịch" }).ClickAsync();
        await Assertions.Expect(buyer.GetByRole(AriaRole.Alert)).ToContainTextAsync("không còn cho phép bước này");
        await Accessibility.AssertCleanAsync(buyer);
        // The cooperative keeps its inbox open while the buyer records what arrived and what it paid: each notice appears
        // on top without a reload (a mark left on the page survives), and the unread count in the menu follows.
        await cooperative.GetByRole(AriaRole.Link, new() { NameRegex = InboxLink() }).ClickAsync();
        var notices = cooperative.Locator("#notices li");
        await Assertions.Expect(notices.First).ToContainTextAsync($"Hàng đã được gửi đi: 500 kg {product.NameVi}");
        await Assertions.Expect(notices).ToHaveCountAsync(3);
        await Accessibility.AssertCleanAsync(cooperative);
        await cooperative.EvaluateAsync("() => window.openedOnce = true");

        await buyer.GetByRole(AriaRole.Link, new() { Name = "Quay lại giao dịch của tôi" }).ClickAsync();
        await buyer.GetByLabel("Đã nhận (kg)").FillAsync("498.5");
        await buyer.GetByRole(AriaRole.Button, new() { Name = "Ghi nhận đã nhận hàng" }).ClickAsync();
        var bought = filled.Locator("td[data-label='Trạng thái']");
        await Assertions.Expect(bought).ToHaveTextAsync("đã nhận hàng");
        await Assertions.Expect(notices.First).ToContainTextAsync("Người mua đã nhận hàng", Live);
        await Assertions.Expect(buyer.GetByLabel("Mã thanh toán")).ToBeVisibleAsync();
        await Accessibility.AssertCleanAsync(buyer);
        await buyer.GetByLabel("Mã thanh toán").FillAsync("UNC 0112/HB-4471");
        await buyer.GetByRole(AriaRole.Button, new() { Name = "Ghi nhận đã thanh toán" }).ClickAsync();
        await Assertions.Expect(bought).ToHaveTextAsync("đã thanh toán");

        await Assertions.Expect(notices.First).ToContainTextAsync("Người mua đã thanh toán", Live);
        await Assertions.Expect(notices.First).ToContainTextAsync(product.NameVi);
        await Assertions.Expect(notices).ToHaveCountAsync(5);
        await Assertions.Expect(notices.First.Locator(".badge")).ToHaveTextAsync("Mới");
        Assert.True(await cooperative.EvaluateAsync<bool>("() => window.openedOnce === true"), "The inbox was reloaded, not updated in place.");
        await Assertions.Expect(cooperative.Locator("#unread")).ToHaveTextAsync("(5 chưa đọc)");
        await Accessibility.AssertCleanAsync(cooperative);
        await cooperative.ScreenshotAsync(new() { Path = Path.Combine(WebAppFixture.Screenshots, $"inbox-{screen}.png"), FullPage = true });
        await cooperative.GetByRole(AriaRole.Button, new() { Name = "Đánh dấu tất cả đã đọc" }).ClickAsync();
        await Assertions.Expect(cooperative.Locator("#notices .badge")).ToHaveCountAsync(0);
        await Assertions.Expect(cooperative.Locator("#unread")).ToHaveTextAsync("");

        // The buyer's inbox tells the same story from its side.
        await buyer.GetByRole(AriaRole.Link, new() { NameRegex = InboxLink() }).ClickAsync();
        await Assertions.Expect(buyer.Locator("#notices li").First).ToContainTextAsync("Người mua đã thanh toán");
        await Accessibility.AssertCleanAsync(buyer);

        await cooperative.GotoAsync("/coop/deals");
        await sold.GetByRole(AriaRole.Link, new() { Name = "In nhãn truy xuất nguồn gốc" }).ClickAsync();
        var qr = cooperative.Locator("figure.label img");
        await Assertions.Expect(qr).ToBeVisibleAsync();
        Assert.True(await qr.EvaluateAsync<int>("i => i.decode().then(() => i.naturalWidth)") > 0, "The label's QR image did not load.");
        await Assertions.Expect(cooperative.Locator("figure.label")).ToContainTextAsync(product.NameVi);
        await Accessibility.AssertCleanAsync(cooperative);

        // Printed, the label is all there is on one sheet: no menu, no buttons, the QR at 80 mm.
        await cooperative.EmulateMediaAsync(new() { Media = Media.Print });
        await Assertions.Expect(cooperative.Locator("header")).ToBeHiddenAsync();
        await Assertions.Expect(cooperative.Locator(".no-print")).ToHaveCountAsync(2);
        foreach (var hidden in await cooperative.Locator(".no-print").AllAsync())
        {
            await Assertions.Expect(hidden).ToBeHiddenAsync();
        }

        Assert.True((await qr.BoundingBoxAsync())!.Width >= 300, "The printed QR is smaller than 80 mm.");
        var pdf = Encoding.Latin1.GetString(await cooperative.PdfAsync(new() { Format = "A4", PrintBackground = true }));
        Assert.Equal(1, PdfPage().Count(pdf));
        await cooperative.EmulateMediaAsync(new() { Media = Media.Screen });
        await Assertions.Expect(cooperative.Locator("header")).ToBeVisibleAsync();
        await cooperative.GetByRole(AriaRole.Link, new() { Name = "Mở trang truy xuất" }).ClickAsync();
        await Assertions.Expect(cooperative.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Nguồn gốc nông sản này");
        var trace = cooperative.Locator("dl.trace");
        await Assertions.Expect(trace).ToContainTextAsync(cooperativeName);
        await Assertions.Expect(trace).ToContainTextAsync(product.NameVi);
        // What shipped, and what the buyer recorded as arrived (short by 1.5 kg): the trace reads both from the deal's record.
        await Assertions.Expect(trace).ToContainTextAsync("500 kg");
        await Assertions.Expect(trace.Locator("dt:has-text('Đã nhận') + dd")).ToContainTextAsync("498,5 kg");
        await Assertions.Expect(trace).Not.ToContainTextAsync(buyerName);
        await Assertions.Expect(trace).Not.ToContainTextAsync("25.000");
        await Accessibility.AssertCleanAsync(cooperative);
        await cooperative.ScreenshotAsync(new() { Path = Path.Combine(WebAppFixture.Screenshots, $"trace-{screen}.png"), FullPage = true });

        // A code typed from the label in lower case names the same shipment.
        await cooperative.GotoAsync(new Uri(cooperative.Url).AbsolutePath.ToLowerInvariant());
        await Assertions.Expect(trace).ToContainTextAsync(cooperativeName);

        // The district office's overview counts the deal under the product and the commune.
        var office = await web.PageAsync(width, height);
        await WebAppFixture.SignInAsync(office, WebAppFixture.AdminKey);
        await office.GotoAsync("/admin");
        var row = office.Locator("#products tbody tr", new() { HasText = product.NameVi });
        await Assertions.Expect(row).ToContainTextAsync("500 kg");
        await Assertions.Expect(row).ToContainTextAsync("25.000 ₫/kg");
        await Assertions.Expect(row).ToContainTextAsync("100");
        await Assertions.Expect(office.Locator("#deals tbody tr", new() { HasText = cooperativeName })).ToContainTextAsync(buyerName);
        await Assertions.Expect(office.Locator("svg[role=img]").First).ToBeVisibleAsync();
        await Accessibility.AssertCleanAsync(office);
        await office.ScreenshotAsync(new() { Path = Path.Combine(WebAppFixture.Screenshots, $"overview-{screen}.png"), FullPage = true });
    }

    [Fact]
    public async Task A_buyer_registers_with_the_keyboard_alone()
    {
        var page = await web.PageAsync();
        await page.GotoAsync("/buyer/register");
        await TabToAsync(page, "name");
        await page.Keyboard.TypeAsync("Nhà hàng Bàn phím");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("r");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync("Hòa Bình");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Chào mừng Nhà hàng Bàn phím");
    }

    [Fact]
    public async Task Vietnamese_is_the_default_and_English_is_one_click_away()
    {
        var page = await web.PageAsync();
        await page.GotoAsync("/catalog");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "vi");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Sản phẩm và mùa vụ");
        await page.GetByRole(AriaRole.Link, new() { Name = "English" }).ClickAsync();
        await page.WaitForURLAsync(Catalog());
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Products and their seasons");
        await Accessibility.AssertCleanAsync(page);
    }

    /// <summary>Presses Tab from the top of the page until the field with <paramref name="id"/> has the focus.</summary>
    private static async Task TabToAsync(IPage page, string id)
    {
        for (var presses = 0; presses < 30; presses++)
        {
            await page.Keyboard.PressAsync("Tab");
            if (await page.EvaluateAsync<string>("() => document.activeElement?.id ?? ''") == id)
            {
                return;
            }
        }

        Assert.Fail($"Tab never reached #{id}.");
    }

    [GeneratedRegex("/catalog$")]
    private static partial Regex Catalog();

    /// <summary>The menu's link to the inbox, whatever its unread count says.</summary>
    [GeneratedRegex("^Hộp thư")]
    private static partial Regex InboxLink();

    /// <summary>A page object of a PDF (not the /Pages tree that holds them).</summary>
    [GeneratedRegex(@"/Type\s*/Page\b")]
    private static partial Regex PdfPage();

    /// <summary>A notice travels from the market's journal to the inbox and the stream: give it a loaded machine's time.</summary>
    private static readonly LocatorAssertionsToContainTextOptions Live = new() { Timeout = 30_000 };
}
