namespace CoopMarket.Gateway.Tests;

/// <summary>A market of a test's own (a product, a cooperative with a lot on offer, a buyer) and the bodies of a lot and
/// a request dated from the gateway's today, which several test classes post.</summary>
internal static class OpenMarket
{
    /// <summary>A product of the test's own with a 100 kg lot on offer; posting the lot taught the gateway that the
    /// product exists.</summary>
    public static async Task<(string Product, Participant Cooperative, Participant Buyer)> OpenMarketAsync(this GatewayFactory factory, Api admin, string name)
    {
        var product = await factory.ProductAsync(name);
        var cooperative = await admin.CooperativeAsync();
        var buyer = await admin.BuyerAsync();
        await cooperative.Api.CreatedAsync($"/api/cooperatives/{cooperative.Id}/lots", factory.LotBody(product, 100));
        return (product, cooperative, buyer);
    }

    public static object LotBody(this GatewayFactory factory, string product, decimal kg) => new
    {
        product, quantityKg = kg, grade = "A", harvestFrom = factory.Today.AddDays(9), harvestTo = factory.Today.AddDays(19), askVndPerKg = 20_000,
    };

    public static object RequestBody(this GatewayFactory factory, string product, decimal kg) => new
    {
        product, quantityKg = kg, deliverFrom = factory.Today.AddDays(14), deliverBy = factory.Today.AddDays(27), maxVndPerKg = 30_000,
    };
}
