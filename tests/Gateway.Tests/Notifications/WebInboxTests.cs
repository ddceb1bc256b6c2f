using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CoopMarket.Gateway.Tests.Notifications;

/// <summary>The web app's inbox as a signed-in browser drives it: the page's "mark all read" and its live stream,
/// which <c>wwwroot/inbox.js</c> opens and the browser reopens with <c>Last-Event-ID</c>.</summary>
[Collection(GatewayCollection.Name)]
public sealed class WebInboxTests(GatewayFactory factory)
{
    private readonly Api admin = factory.Admin();

    /// <summary>A browser that keeps no cookies: each request carries the ones the test gives it.</summary>
    private HttpClient Browser() => factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });

    private async Task<(string Product, Participant Buyer)> MarketAsync(string name)
    {
        var product = await factory.ProductAsync(name);
        var cooperative = await admin.CooperativeAsync();
        await cooperative.Api.CreatedAsync($"/api/cooperatives/{cooperative.Id}/lots", new
        {
            product, quantityKg = 100, grade = "A", harvestFrom = factory.Today.AddDays(9), harvestTo = factory.Today.AddDays(19), askVndPerKg = 20_000,
        });
        return (product, await admin.BuyerAsync());
    }

    private async Task<string> DealAsync(string product, Participant buyer, decimal kg) =>
        (await buyer.Api.CreatedAsync($"/api/buyers/{buyer.Id}/requests", new
        {
            product, quantityKg = kg, deliverFrom = factory.Today.AddDays(14), deliverBy = factory.Today.AddDays(27), maxVndPerKg = 30_000,
        })).GetProperty("deals")[0].GetProperty("id").GetString()!;

    [Fact]
    public async Task Mark_all_read_marks_the_notices_the_page_showed_and_not_one_that_arrived_after_it()
    {
        var (product, buyer) = await MarketAsync("web-inbox-read");
        await DealAsync(product, buyer, 10);
        await DealAsync(product, buyer, 10);
        using var browser = Browser();
        var cookie = await SignInForm.SignInAsync(browser, buyer.Api.Key!);
        var form = await SignInForm.OpenAsync(browser, "/inbox", cookie);

        // A notice arrives while the page is open; its form still says "up to the second".
        await DealAsync(product, buyer, 10);
        using var marked = await browser.SendAsync(SignInForm.Post("/inbox", form, ("upTo", "2")));

        Assert.Equal(HttpStatusCode.Redirect, marked.StatusCode);
        var (_, inbox) = await buyer.Api.GetAsync($"/api/buyers/{buyer.Id}/inbox");
        Assert.Equal([("3", false), ("2", true), ("1", true)],
            inbox.GetProperty("items").EnumerateArray().Select(i => (i.GetProperty("eventId").GetString(), i.GetProperty("read").GetBoolean())));
        Assert.Equal(1, (await buyer.Api.GetAsync($"/api/buyers/{buyer.Id}/inbox/unread")).Body.GetProperty("unread").GetInt64());
    }

    [Fact]
    public async Task The_inbox_stream_resumes_after_Last_Event_ID_and_refuses_a_malformed_one()
    {
        var (product, buyer) = await MarketAsync("web-inbox-live");
        await DealAsync(product, buyer, 10);
        var second = await DealAsync(product, buyer, 10);
        var third = await DealAsync(product, buyer, 10);
        using var browser = Browser();
        var cookie = await SignInForm.SignInAsync(browser, buyer.Api.Key!);

        // The browser reconnects after event 1 with the page's own ?after=0: the header wins, as the script relies on.
        using (var resumed = await LiveStream.OpenAsync(factory, "/inbox/events?after=0", lastEventId: "1", r => r.Headers.Add("Cookie", cookie)))
        {
            Assert.Equal("text/event-stream", resumed.ContentType);
            var (id2, _, data2) = await resumed.NextEventAsync();
            var (id3, _, data3) = await resumed.NextEventAsync();
            Assert.Equal([("2", second), ("3", third)], [(id2, data2.GetProperty("dealId").GetString()), (id3, data3.GetProperty("dealId").GetString())]);
        }

        foreach (var malformed in new[] { "abc", "-1", "1.5", " 2" })
        {
            using var refused = await LiveStream.OpenAsync(factory, "/inbox/events", malformed, r => r.Headers.Add("Cookie", cookie));
            Assert.True(refused.Status == HttpStatusCode.BadRequest, $"Last-Event-ID '{malformed}': {refused.Status}");
        }
    }
}
