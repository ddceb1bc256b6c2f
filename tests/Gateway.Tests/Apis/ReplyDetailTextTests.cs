using System.Net;

namespace CoopMarket.Gateway.Tests.Apis;

/// <summary>The API's English for the refusals that name an id or a status, word for word: clients outside this
/// repository read these details, so keeping the id or status apart from its sentence (for the web app's translation)
/// must not change a byte.</summary>
[Collection(GatewayCollection.Name)]
public sealed class ReplyDetailTextTests(GatewayFactory factory)
{
    private readonly Api admin = factory.Admin();

    [Fact]
    public async Task Unknown_ids_with_braces_are_said_as_before()
    {
        // Braces in an id: the API quotes them as sent.
        var escaped = Uri.EscapeDataString("nobody {0}");
        var product = await factory.ProductAsync("reply-texts-ids");

        var lot = Detail(HttpStatusCode.NotFound, await admin.DeleteWithResponseAsync($"/api/lots/{escaped}"));
        var request = Detail(HttpStatusCode.NotFound, await admin.DeleteWithResponseAsync($"/api/requests/{escaped}"));
        var deal = Detail(HttpStatusCode.NotFound, await admin.PostAsync($"/api/deals/{escaped}/cancel", new { }));
        var cooperative = Detail(HttpStatusCode.NotFound, await admin.PostAsync($"/api/cooperatives/{escaped}/lots", factory.LotBody(product, 10)));
        var buyer = Detail(HttpStatusCode.NotFound, await admin.PostAsync($"/api/buyers/{escaped}/requests", factory.RequestBody(product, 10)));

        Assert.Equal("No lot has the id 'nobody {0}'.", lot);
        Assert.Equal("No request has the id 'nobody {0}'.", request);
        Assert.Equal("No deal has the id 'nobody {0}'.", deal);
        Assert.Equal("No cooperative has the id 'nobody {0}'.", cooperative);
        Assert.Equal("No buyer has the id 'nobody {0}'.", buyer);
    }

    [Fact]
    public async Task A_lot_or_request_with_nothing_left_a_deal_step_in_the_wrong_status_and_an_unverified_buyer_at_its_cap_are_said_as_before()
    {
        var market = await Refusals.OpenAsync(factory, "reply-texts");
        var (coop, buyer) = (market.Cooperative.Api, market.Buyer.Api);

        Assert.Equal("The lot is sold: nothing is left to withdraw.", Detail(HttpStatusCode.Conflict, await coop.DeleteWithResponseAsync($"/api/lots/{market.SoldLot}")));
        Assert.Equal("The lot is withdrawn: nothing is left to withdraw.", Detail(HttpStatusCode.Conflict, await coop.DeleteWithResponseAsync($"/api/lots/{market.WithdrawnLot}")));
        Assert.Equal("The lot is withdrawn: its quantity can no longer change.",
            Detail(HttpStatusCode.Conflict, await coop.PostAsync($"/api/lots/{market.WithdrawnLot}/shortfall", new { newQuantityKg = 1 })));
        Assert.Equal("The request is filled: nothing is left to cancel.", Detail(HttpStatusCode.Conflict, await buyer.DeleteWithResponseAsync($"/api/requests/{market.FilledRequest}")));
        Assert.Equal("The request is cancelled: nothing is left to cancel.", Detail(HttpStatusCode.Conflict, await buyer.DeleteWithResponseAsync($"/api/requests/{market.CancelledRequest}")));
        Assert.Equal("The deal is proposed: it cannot be shipped now.", Detail(HttpStatusCode.Conflict, await coop.PostAsync($"/api/deals/{market.Deal}/ship", new { })));
        Assert.Equal("An unverified buyer, together with the others registered from its address, may have at most 1000 kg, in at most 100 requests, requested and not yet delivered at once; the district office verifies buyers.",
            Detail(HttpStatusCode.Forbidden, await market.Unverified.Api.PostAsync($"/api/buyers/{market.Unverified.Id}/requests", factory.RequestBody(market.Product, 600))));

        await market.SettleAsync();
        Assert.Equal("The deal is settled: nothing more can happen to it.", Detail(HttpStatusCode.Conflict, await buyer.PostAsync($"/api/deals/{market.Deal}/cancel", new { })));
    }

    private static string? Detail(HttpStatusCode expected, (HttpStatusCode Status, System.Text.Json.JsonElement Body, HttpResponseMessage Response) answer)
    {
        Assert.Equal(expected, answer.Status);
        return answer.Body.GetProperty("detail").GetString();
    }
}
