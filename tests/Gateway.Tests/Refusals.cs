namespace CoopMarket.Gateway.Tests;

/// <summary>A market of a test's own where each command's refusal that names a status can be had: a sold lot and the
/// request that filled it, whose deal is proposed; a withdrawn lot; a cancelled request; an unverified buyer at its cap.</summary>
internal sealed record Refusals(Participant Cooperative, Participant Buyer, Participant Unverified, string Product,
    string SoldLot, string FilledRequest, string Deal, string WithdrawnLot, string CancelledRequest)
{
    /// <summary>Lots and requests posted in an order that leaves nothing to match by chance: the first request fills
    /// the first lot; the second lot is posted when no request is open and the second request asks less than it.</summary>
    public static async Task<Refusals> OpenAsync(GatewayFactory factory, string name)
    {
        var admin = factory.Admin();
        var product = await factory.ProductAsync(name);
        var cooperative = await admin.CooperativeAsync();
        var buyer = await admin.BuyerAsync();
        var lots = $"/api/cooperatives/{cooperative.Id}/lots";
        var requests = $"/api/buyers/{buyer.Id}/requests";

        var sold = Id(await cooperative.Api.CreatedAsync(lots, factory.LotBody(product, 10)));
        var placed = await buyer.Api.CreatedAsync(requests, factory.RequestBody(product, 10));
        var withdrawn = Id(await cooperative.Api.CreatedAsync(lots, factory.LotBody(product, 5)));
        await cooperative.Api.DeleteAsync($"/api/lots/{withdrawn}");
        var cancelled = Id(await buyer.Api.CreatedAsync(requests, new
        {
            product, quantityKg = 5, deliverFrom = factory.Today.AddDays(14), deliverBy = factory.Today.AddDays(27), maxVndPerKg = 10_000,
        }));
        await buyer.Api.DeleteAsync($"/api/requests/{cancelled}");

        var unverified = await factory.Api().BuyerAsync("Người mua tự đăng ký");
        await unverified.Api.CreatedAsync($"/api/buyers/{unverified.Id}/requests", factory.RequestBody(product, 600));

        return new(cooperative, buyer, unverified, product, sold, Id(placed), placed.GetProperty("deals")[0].GetProperty("id").GetString()!,
            withdrawn, cancelled);
    }

    /// <summary>Takes the deal from proposed to settled, final.</summary>
    public async Task SettleAsync()
    {
        await StepAsync(Cooperative, "confirm", new { });
        await StepAsync(Cooperative, "ship", new { });
        await StepAsync(Buyer, "deliver", new { deliveredKg = 10 });
        await StepAsync(Buyer, "settle", new { reference = "paid" });
    }

    private async Task StepAsync(Participant side, string step, object body)
    {
        var (status, json, _) = await side.Api.PostAsync($"/api/deals/{Deal}/{step}", body);
        Assert.True(status == System.Net.HttpStatusCode.OK, $"{step} answered {(int)status}: {json}");
    }

    private static string Id(System.Text.Json.JsonElement created) => created.GetProperty("id").GetString()!;
}
