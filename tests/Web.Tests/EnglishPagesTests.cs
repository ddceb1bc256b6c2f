using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using CoopMarket.Gateway.Contracts;
using Microsoft.Playwright;

namespace CoopMarket.Web.Tests;

/// <summary>The English switch on the main pages: every label in English, none left in Vietnamese, and numbers, money
/// and dates written the reader's way — <c>1,234.5 kg</c> and <c>25,000 ₫/kg</c> in English, <c>1.234,5 kg</c> and
/// <c>25.000 ₫/kg</c> in Vietnamese. The đồng keeps its sign after the amount in both: it is the currency the market
/// trades in, not a translation.</summary>
[Collection(WebCollection.Name)]
public sealed partial class EnglishPagesTests(WebAppFixture web)
{
    /// <summary>The letters only Vietnamese writes: one in an English label is a text that missed its translation.</summary>
    [GeneratedRegex("[ăâđêôơưàáạảãằắặẳẵầấậẩẫèéẹẻẽềếệểễìíịỉĩòóọỏõồốộổỗờớợởỡùúụủũừứựửữỳýỵỷỹ]", RegexOptions.IgnoreCase)]
    private static partial Regex Vietnamese();

    [Fact]
    public async Task The_main_pages_in_English_have_no_Vietnamese_labels_and_format_numbers_the_English_way()
    {
        var product = await web.ProductAsync("Cam sành thử tiếng Anh");
        var cooperativeName = "Hợp tác xã Tiếng Anh";
        var (cooperativeId, cooperativeKey) = await web.CooperativeAsync(cooperativeName);
        using var api = new HttpClient { BaseAddress = web.Address };
        api.DefaultRequestHeaders.Authorization = new("Bearer", cooperativeKey);
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync($"/api/cooperatives/{cooperativeId}/lots",
            new { product = product.Code, quantityKg = 1234.5m, grade = "A", certifications = Array.Empty<object>(),
                harvestFrom = "2026-12-01", harvestTo = "2026-12-05", askVndPerKg = 25000 })).StatusCode);
        api.DefaultRequestHeaders.Authorization = new("Bearer", WebAppFixture.AdminKey);
        using var registered = await api.PostAsJsonAsync("/api/buyers", new RegisterBuyer("Chợ đầu mối Tiếng Anh", "wholesaler", "Hòa Bình"));
        var buyer = (await registered.Content.ReadFromJsonAsync<JsonElement>())!;
        api.DefaultRequestHeaders.Authorization = new("Bearer", buyer.GetProperty("apiKey").GetString());
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync($"/api/buyers/{buyer.GetProperty("id").GetString()}/requests",
            new { product = product.Code, quantityKg = 200, deliverFrom = "2026-12-01", deliverBy = "2026-12-20", maxVndPerKg = 40000 })).StatusCode);
        string[] data = [cooperativeName, "Chợ đầu mối Tiếng Anh", "Mường Khến", "Tân Lạc", "Hòa Bình"];

        var visitor = await EnglishAsync(null);
        await visitor.GotoAsync("/catalog");
        // Some products' English names keep their Vietnamese proper names ("Cá Dầm xanh (river fish)"): labels only.
        await AssertEnglishAsync(visitor, "Products and their seasons", null);
        await visitor.GotoAsync("/signin");
        await AssertEnglishAsync(visitor, "Sign in", data);

        var cooperative = await EnglishAsync(cooperativeKey);
        await cooperative.GotoAsync("/coop/lots");
        await AssertEnglishAsync(cooperative, "My lots", data);
        var lot = cooperative.Locator("table tbody tr").First;
        await Assertions.Expect(lot).ToContainTextAsync("1,234.5 kg");
        await Assertions.Expect(lot).ToContainTextAsync("1,034.5 kg");
        await Assertions.Expect(lot).ToContainTextAsync("25,000 ₫/kg");
        await Assertions.Expect(lot).ToContainTextAsync("12/1/2026 – 12/5/2026");
        await cooperative.GotoAsync("/coop/deals");
        await AssertEnglishAsync(cooperative, "My deals", data);

        var buyerPage = await EnglishAsync(buyer.GetProperty("apiKey").GetString());
        await buyerPage.GotoAsync("/buyer/requests");
        await AssertEnglishAsync(buyerPage, "My requests", data);
        await Assertions.Expect(buyerPage.Locator("section")).ToContainTextAsync("Filled 200 kg");
        await Assertions.Expect(buyerPage.Locator("table tbody tr").First).ToContainTextAsync("25,000 ₫/kg");
        await buyerPage.GotoAsync("/inbox");
        await AssertEnglishAsync(buyerPage, "Inbox", data);

        var office = await EnglishAsync(WebAppFixture.AdminKey);
        await office.GotoAsync("/admin");
        // The overview lists every participant and product of the district, named in Vietnamese: only its labels are checked.
        await AssertEnglishAsync(office, "District market overview", null);

        // The same lot in Vietnamese, for contrast: the formats follow the language, not the data.
        var vietnamese = await web.PageAsync();
        await WebAppFixture.SignInAsync(vietnamese, cooperativeKey);
        await vietnamese.GotoAsync("/coop/lots");
        var lotVi = vietnamese.Locator("table tbody tr").First;
        await Assertions.Expect(lotVi).ToContainTextAsync("1.234,5 kg");
        await Assertions.Expect(lotVi).ToContainTextAsync("25.000 ₫/kg");
        await Assertions.Expect(lotVi).ToContainTextAsync("01/12/2026 – 05/12/2026");
    }

    /// <summary>A fresh browser switched to English, signed in with <paramref name="key"/> through the English form.</summary>
    private async Task<IPage> EnglishAsync(string? key)
    {
        var page = await web.PageAsync();
        await page.GotoAsync("/language/en?returnUrl=%2Fsignin");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        if (key is not null)
        {
            await page.GetByLabel("Key", new() { Exact = true }).FillAsync(key);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await WebAppFixture.LeftSignInAsync(page);
        }

        return page;
    }

    /// <summary>The page is in English with <paramref name="heading"/>, and no label on it is in Vietnamese. With
    /// <paramref name="data"/>, the whole page is checked, those names of people and places taken out first.</summary>
    private static async Task AssertEnglishAsync(IPage page, string heading, string[]? data)
    {
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(heading);
        // Labels: headings, field labels, buttons, column heads, menus, and the labels a phone shows beside each cell.
        // The link to Tiếng Việt is marked lang="vi" and is meant to read so.
        var labels = await page.EvaluateAsync<string[]>("""
            () => [
                ...[...document.querySelectorAll('title, h1, h2, h3, label, legend, button, th, caption, nav a, header a, option')]
                    .filter(e => !e.closest('[lang="vi"]')).map(e => e.textContent),
                ...[...document.querySelectorAll('[data-label], [aria-label]')].flatMap(e => [e.getAttribute('data-label'), e.getAttribute('aria-label')]),
            ].filter(t => t)
            """);
        var leftovers = labels.Where(l => Vietnamese().IsMatch(data is null ? l : Strip(l, data))).ToList();
        Assert.True(leftovers.Count == 0, $"{page.Url}: {string.Join(" | ", leftovers)}");
        if (data is not null)
        {
            var text = Strip(await page.Locator("body").InnerTextAsync(), [.. data, "Tiếng Việt"]);
            var leftover = Vietnamese().Match(text);
            Assert.False(leftover.Success, $"{page.Url}: Vietnamese left in '{(leftover.Success ? text[Math.Max(0, leftover.Index - 40)..Math.Min(text.Length, leftover.Index + 40)] : "")}'");
        }

        await Accessibility.AssertCleanAsync(page);
    }

    private static string Strip(string text, string[] data) => data.Aggregate(text, (t, name) => t.Replace(name, "", StringComparison.Ordinal));
}
