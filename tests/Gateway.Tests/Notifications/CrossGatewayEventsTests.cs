namespace CoopMarket.Gateway.Tests.Notifications;

/// <summary>Live events in distributed mode: a stream held by one gateway hears of what a command through another
/// gateway did, and a reconnect resumes exactly after the last event it had.</summary>
public sealed class CrossGatewayEventsTests(RedisPlatform platform) : IClassFixture<RedisPlatform>
{
    [Fact]
    public async Task A_stream_on_gateway_A_gets_an_event_caused_through_gateway_B_and_after_a_reconnect_exactly_what_it_missed()
    {
        var product = await platform.ProductAsync("cross");
        var admin = platform.B.Admin();
        var cooperative = await admin.CooperativeAsync();
        var buyer = await admin.BuyerAsync();
        await cooperative.Api.CreatedAsync($"/api/cooperatives/{cooperative.Id}/lots", new
        {
            product, quantityKg = 100, grade = "A", harvestFrom = platform.Today.AddDays(9), harvestTo = platform.Today.AddDays(19), askVndPerKg = 20_000,
        });
        var events = $"/api/buyers/{buyer.Id}/events";

        var first = await LiveStream.OpenAsync(platform.A, events, buyer.Api.Key!, lastEventId: null);
        var deal1 = await DealThroughBAsync(buyer, product, 30);
        var event1 = await first.NextEventAsync();
        Assert.Equal(("1", "DealProposed", deal1), (event1.Id, event1.Kind, event1.Data.GetProperty("dealId").GetString()));
        first.Dispose();

        var deal2 = await DealThroughBAsync(buyer, product, 20);
        var deal3 = await DealThroughBAsync(buyer, product, 10);
        using var resumed = await LiveStream.OpenAsync(platform.A, events, buyer.Api.Key!, lastEventId: "1");
        var missed = new[] { await resumed.NextEventAsync(), await resumed.NextEventAsync() };
        Assert.Equal([("2", deal2), ("3", deal3)], missed.Select(e => (e.Id, e.Data.GetProperty("dealId").GetString())));
        var deal4 = await DealThroughBAsync(buyer, product, 5);
        var live = await resumed.NextEventAsync();
        Assert.Equal(("4", deal4), (live.Id, live.Data.GetProperty("dealId").GetString()));
    }

    /// <summary>A request the buyer places through gateway B, and the id of the deal it made.</summary>
    private async Task<string> DealThroughBAsync(Participant buyer, string product, decimal kg) =>
        (await buyer.Api.CreatedAsync($"/api/buyers/{buyer.Id}/requests", new
        {
            product, quantityKg = kg, deliverFrom = platform.Today.AddDays(14), deliverBy = platform.Today.AddDays(27), maxVndPerKg = 30_000,
        })).GetProperty("deals")[0].GetProperty("id").GetString()!;
}
