using CoopMarket.Client;
using CoopMarket.Client.Models;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;

namespace CoopMarket.Gateway.Tests.Apis;

/// <summary>Drives the district scenario through the C# client Kiota generates from the served document
/// (GeneratedClient.targets): what a third party's client can do is what the document says, no more.</summary>
[Collection(GatewayCollection.Name)]
public sealed class GeneratedClientTests(GatewayFactory factory)
{
    [Fact]
    public async Task A_generated_client_registers_trades_reads_deals_and_gets_typed_problems()
    {
        var product = await factory.ProductAsync("kiota");
        var admin = Client(GatewayFactory.AdminKey);
        var cooperative = await admin.Api.Cooperatives.PostAsync(new RegisterCooperative
        {
            Name = "HTX cam Đông Lai (client)", Kind = "HTX", Commune = "Đông Lai", District = "Tân Lạc", Province = "Hòa Bình", Members = 40,
        });
        var buyer = await admin.Api.Buyers.PostAsync(new RegisterBuyer { Name = "Siêu thị Hà Nội (client)", Kind = "supermarket", Province = "Hà Nội" });
        Assert.True(buyer!.Verified);
        var asCooperative = Client(cooperative!.ApiKey!);
        var asBuyer = Client(buyer.ApiKey!);

        var lotKey = Guid.NewGuid().ToString("N");
        var lot = await asCooperative.Api.Cooperatives[cooperative.Id!].Lots.PostAsync(Lot(product, 2_000), Keyed(lotKey));
        Assert.Equal("open", lot!.Status);
        var placed = await asBuyer.Api.Buyers[buyer.Id!].Requests.PostAsync(new PlaceRequest
        {
            Product = product, QuantityKg = 2_000, MinGrade = "B", RequiredCertifications = ["VietGAP"],
            DeliverFrom = Day(14), DeliverBy = Day(27), MaxVndPerKg = 30_000,
        }, Keyed(Guid.NewGuid().ToString("N")));

        Assert.Equal("filled", placed!.Status);
        var deal = Assert.Single(placed.Deals!);
        Assert.Equal((lot.Id, 2_000d, 25_000L), (deal.LotId, deal.QuantityKg, deal.PriceVndPerKg));
        var buyerDeals = await asBuyer.Api.Buyers[buyer.Id!].Deals.GetAsync();
        var cooperativeDeals = await asCooperative.Api.Cooperatives[cooperative.Id!].Deals.GetAsync();
        Assert.Equal(deal.Id, Assert.Single(buyerDeals!.Items!).Id);
        Assert.Equal(deal.Id, Assert.Single(cooperativeDeals!.Items!).Id);

        // The lot sold out: withdrawing it is a conflict, surfaced as the document's problem type.
        var conflict = await Assert.ThrowsAsync<ProblemDetails>(() => asCooperative.Api.Lots[lot.Id!].DeleteAsync());
        Assert.Equal((409, 409), (conflict.ResponseStatusCode, conflict.Status));
        // The lot's idempotency key again, with another body: nothing changes, and the client sees why.
        var reused = await Assert.ThrowsAsync<ProblemDetails>(() => asCooperative.Api.Cooperatives[cooperative.Id!].Lots.PostAsync(Lot(product, 3_000), Keyed(lotKey)));
        Assert.Equal((422, "Idempotency key reused"), (reused.ResponseStatusCode, reused.Title));
        // A bad field comes back field by field.
        var invalid = await Assert.ThrowsAsync<HttpValidationProblemDetails>(() => asCooperative.Api.Cooperatives[cooperative.Id!].Lots.PostAsync(Lot(product, -5)));
        Assert.Contains("quantityKg", invalid.Errors!.AdditionalData.Keys);
    }

    private CoopMarketClient Client(string key) =>
        new(new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: factory.HttpClientAs(key)));

    private Date Day(int fromToday) => new(factory.Today.AddDays(fromToday).ToDateTime(TimeOnly.MinValue));

    private PostLot Lot(string product, double kg) => new()
    {
        Product = product, QuantityKg = kg, Grade = "A", Certifications = [new CertificationDto { Scheme = "VietGAP" }],
        HarvestFrom = Day(9), HarvestTo = Day(19), AskVndPerKg = 25_000,
    };

    private static Action<RequestConfiguration<DefaultQueryParameters>> Keyed(string idempotencyKey) =>
        request => request.Headers.Add("Idempotency-Key", idempotencyKey);
}
