using System.Text.Json;
using Microsoft.Playwright;

namespace CoopMarket.Web.Tests;

/// <summary>Runs axe-core (from npm, pinned in package.json) inside the page: labels on inputs, contrast of 4.5:1, and
/// the rest of WCAG 2 A/AA that a machine can check.</summary>
internal static class Accessibility
{
    private static readonly string AxeScript = Path.Combine(AppContext.BaseDirectory, "axe.min.js");

    public static async Task AssertCleanAsync(IPage page)
    {
        await page.AddScriptTagAsync(new() { Path = AxeScript });
        var violations = await page.EvaluateAsync<JsonElement>("""
            async () => (await axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }))
                .violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))
            """);
        Assert.True(violations.GetArrayLength() == 0, $"{page.Url}: {string.Join("; ", violations.EnumerateArray())}");
    }
}
