using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using CoopMarket.Grains.Notifications;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CoopMarket.Gateway.Tests.Notifications;

/// <summary>A participant's inbox, live events and webhooks, as its clients see them.</summary>
[Collection(GatewayCollection.Name)]
public sealed class NotificationsApiTests(GatewayFactory factory)
{
    private readonly Api admin = factory.Admin();

    private static async Task<string> DealAsync(Participant buyer, object request) =>
        (await buyer.Api.CreatedAsync($"/api/buyers/{buyer.Id}/requests", request))
            .GetProperty("deals")[0].GetProperty("id").GetString()!;

    [Fact]
    public async Task Both_sides_find_a_new_deal_in_their_inbox_page_through_it_and_mark_it_read()
    {
        var (product, cooperative, buyer) = await factory.OpenMarketAsync(admin, "inbox");
        var first = await DealAsync(buyer, factory.RequestBody(product, 30));
        var second = await DealAsync(buyer, factory.RequestBody(product, 20));

        foreach (var (who, path) in new[] { (cooperative, $"/api/cooperatives/{cooperative.Id}"), (buyer, $"/api/buyers/{buyer.Id}") })
        {
            var (status, page) = await who.Api.GetAsync($"{path}/inbox?limit=1");
            Assert.Equal(HttpStatusCode.OK, status);
            var newest = Assert.Single(page.GetProperty("items").EnumerateArray());
            Assert.Equal(("2", "DealProposed", second, 20m, "proposed", false),
                (newest.GetProperty("eventId").GetString(), newest.GetProperty("kind").GetString(), newest.GetProperty("dealId").GetString(),
                    newest.GetProperty("quantityKg").GetDecimal(), newest.GetProperty("status").GetString(), newest.GetProperty("read").GetBoolean()));
            Assert.Equal(Notice.IdFor(product, 3, second, NoticeKind.DealProposed), newest.GetProperty("noticeId").GetString());
            var (_, older) = await who.Api.GetAsync($"{path}/inbox?limit=1&cursor={page.GetProperty("nextCursor").GetString()}");
            Assert.Equal(first, Assert.Single(older.GetProperty("items").EnumerateArray()).GetProperty("dealId").GetString());
            Assert.Equal(JsonValueKind.Null, older.GetProperty("nextCursor").ValueKind);

            Assert.Equal(2, (await who.Api.GetAsync($"{path}/inbox/unread")).Body.GetProperty("unread").GetInt64());
            var (marked, unread, _) = await who.Api.PostAsync($"{path}/inbox/read", new { upTo = "1" });
            Assert.Equal(HttpStatusCode.OK, marked);
            Assert.Equal((1L, "2", "1"), (unread.GetProperty("unread").GetInt64(), unread.GetProperty("latestEventId").GetString(), unread.GetProperty("readThrough").GetString()));
            var (_, after) = await who.Api.GetAsync($"{path}/inbox");
            Assert.Equal([false, true], after.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("read").GetBoolean()));
            Assert.Equal(HttpStatusCode.BadRequest, (await who.Api.PostAsync($"{path}/inbox/read", new { upTo = "3" })).Status);
            Assert.Equal(HttpStatusCode.BadRequest, (await who.Api.PostAsync($"{path}/inbox/read", new { upTo = "x" })).Status);
            Assert.Equal(HttpStatusCode.BadRequest, (await who.Api.GetAsync($"{path}/inbox?cursor=0")).Status);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await buyer.Api.GetAsync($"/api/cooperatives/{cooperative.Id}/inbox")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await cooperative.Api.GetAsync($"/api/buyers/{buyer.Id}/inbox/unread")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await cooperative.Api.PostAsync($"/api/buyers/{buyer.Id}/inbox/read", new { upTo = "1" })).Status);
        Assert.Equal(2, (await admin.GetAsync($"/api/buyers/{buyer.Id}/inbox")).Body.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task A_live_client_gets_each_event_and_after_a_reconnect_resumes_after_its_last_event_id()
    {
        var (product, _, buyer) = await factory.OpenMarketAsync(admin, "live");
        var key = buyer.Api.Key!;

        var first = await LiveStream.OpenAsync(factory, $"/api/buyers/{buyer.Id}/events", key, lastEventId: null);
        Assert.Equal("text/event-stream", first.ContentType);
        var deal1 = await DealAsync(buyer, factory.RequestBody(product, 30));
        var event1 = await first.NextEventAsync();
        Assert.Equal(("1", "DealProposed", deal1), (event1.Id, event1.Kind, event1.Data.GetProperty("dealId").GetString()));
        Assert.True(await first.HeartbeatAsync(), "an idle stream sends heartbeat comments");
        first.Dispose();

        var deal2 = await DealAsync(buyer, factory.RequestBody(product, 20));
        var deal3 = await DealAsync(buyer, factory.RequestBody(product, 10));
        using var resumed = await LiveStream.OpenAsync(factory, $"/api/buyers/{buyer.Id}/events", key, lastEventId: "1");
        var e2 = await resumed.NextEventAsync();
        var e3 = await resumed.NextEventAsync();
        Assert.Equal([("2", deal2), ("3", deal3)], [(e2.Id, e2.Data.GetProperty("dealId").GetString()), (e3.Id, e3.Data.GetProperty("dealId").GetString())]);
        var deal4 = await DealAsync(buyer, factory.RequestBody(product, 5));
        var e4 = await resumed.NextEventAsync();
        Assert.Equal(("4", deal4), (e4.Id, e4.Data.GetProperty("dealId").GetString()));

        Assert.Equal(HttpStatusCode.NotFound, await admin.StreamStatusAsync("/api/buyers/nobody/events"));
        Assert.Equal(HttpStatusCode.NotFound, await (await admin.CooperativeAsync()).Api.StreamStatusAsync($"/api/buyers/{buyer.Id}/events"));
        using var malformed = await LiveStream.OpenAsync(factory, $"/api/buyers/{buyer.Id}/events", key, lastEventId: "abc");
        Assert.Equal(HttpStatusCode.BadRequest, malformed.Status);
    }

    [Fact]
    public async Task A_stream_opened_with_a_key_ends_when_the_key_is_rotated_and_the_old_key_cannot_reopen_it()
    {
        var (product, _, buyer) = await factory.OpenMarketAsync(admin, "rotated-stream");
        var events = $"/api/buyers/{buyer.Id}/events";
        using var opened = await LiveStream.OpenAsync(factory, events, buyer.Api.Key!, lastEventId: null);
        Assert.True(await opened.HeartbeatAsync(), "the stream is live before the rotation");

        var renewed = buyer.Api.As((await buyer.Api.CreatedAsync($"/api/buyers/{buyer.Id}/key", new { })).GetProperty("apiKey").GetString());
        var deal = await DealAsync(buyer with { Api = renewed }, factory.RequestBody(product, 30));

        Assert.Empty(await opened.EventIdsUntilEndAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, await buyer.Api.StreamStatusAsync(events));
        using var current = await LiveStream.OpenAsync(factory, events, renewed.Key!, lastEventId: "0");
        Assert.Equal(deal, (await current.NextEventAsync()).Data.GetProperty("dealId").GetString());
    }

    [Fact]
    public async Task A_browsers_inbox_stream_ends_when_its_participants_key_is_rotated_and_its_cookie_cannot_reopen_it()
    {
        var (product, _, buyer) = await factory.OpenMarketAsync(admin, "rotated-cookie-stream");
        var browser = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var (token, _) = await SignInForm.OpenAsync(browser);
        using var signedIn = await browser.PostAsync(new Uri("/signin", UriKind.Relative), SignInForm.Fields(token, ("key", buyer.Api.Key!)));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        using var opened = await LiveStream.OpenAsync(browser, "/inbox/events", lastEventId: null);
        Assert.Equal(HttpStatusCode.OK, opened.Status);
        Assert.True(await opened.HeartbeatAsync(), "the stream is live before the rotation");

        var renewed = buyer.Api.As((await buyer.Api.CreatedAsync($"/api/buyers/{buyer.Id}/key", new { })).GetProperty("apiKey").GetString());
        await DealAsync(buyer with { Api = renewed }, factory.RequestBody(product, 30));

        Assert.Empty(await opened.EventIdsUntilEndAsync());
        using var reopened = await browser.GetAsync(new Uri("/inbox/events", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal((HttpStatusCode.Redirect, "/signin"), (reopened.StatusCode, reopened.Headers.Location?.AbsolutePath));
    }
}
