using System.Net;
using System.Net.Http.Json;
using CoopMarket.Grains.Catalog;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace CoopMarket.Gateway.Tests.Apis;

/// <summary>The grain calls the gateway makes for one place-request and one post-lot, held to a list (named
/// <c>grain type.method</c>), so a change that adds a call to a command's path fails here. What the market then does
/// (its projection, the storage writes) is written to the test's output, for the README's count.</summary>
[Collection(GatewayCollection.Name)]
public sealed class GrainCallBudgetTests(GatewayFactory factory, ITestOutputHelper output)
{
    private readonly Api admin = factory.Admin();

    [Fact]
    public async Task A_buyers_place_request_reads_its_buyer_once_with_its_key_and_its_known_product_not_at_all()
    {
        var (product, _, buyer) = await factory.OpenMarketAsync(admin, "budget-place");
        await buyer.Api.CreatedAsync($"/api/buyers/{buyer.Id}/requests", factory.RequestBody(product, 1));

        var scope = await SendCountedAsync(buyer.Api.Key!, $"/api/buyers/{buyer.Id}/requests", factory.RequestBody(product, 1));

        Assert.Equal(["buyer.GetAccountAsync", "market.PlaceRequestAsync", "purchaserequest.ClaimAsync"], GrainCallCount.FromGateway(scope));
    }

    [Fact]
    public async Task An_unverified_buyers_place_request_adds_only_its_allowance()
    {
        var (product, _, _) = await factory.OpenMarketAsync(admin, "budget-unverified");
        var buyer = await factory.Api().BuyerAsync();

        var scope = await SendCountedAsync(buyer.Api.Key!, $"/api/buyers/{buyer.Id}/requests", factory.RequestBody(product, 1));

        Assert.Equal(["buyer.GetAccountAsync", "buyerallowance.ReserveAsync", "market.PlaceRequestAsync", "purchaserequest.ClaimAsync"],
            GrainCallCount.FromGateway(scope));
    }

    [Fact]
    public async Task The_administrator_placing_a_request_for_a_buyer_reads_the_buyer_from_its_grain()
    {
        var (product, _, buyer) = await factory.OpenMarketAsync(admin, "budget-admin");

        var scope = await SendCountedAsync(GatewayFactory.AdminKey, $"/api/buyers/{buyer.Id}/requests", factory.RequestBody(product, 1));

        Assert.Equal(["buyer.GetAccountAsync", "market.PlaceRequestAsync", "purchaserequest.ClaimAsync"], GrainCallCount.FromGateway(scope));
    }

    [Fact]
    public async Task A_cooperatives_post_lot_reads_its_cooperative_once_with_its_key_and_its_product_once()
    {
        var (product, cooperative, _) = await factory.OpenMarketAsync(admin, "budget-post");

        var scope = await SendCountedAsync(cooperative.Api.Key!, $"/api/cooperatives/{cooperative.Id}/lots", factory.LotBody(product, 5));

        Assert.Equal(["cooperative.GetAccountAsync", "market.PostLotAsync", "product.GetAsync", "supplylot.ClaimAsync"], GrainCallCount.FromGateway(scope));
    }

    [Fact]
    public async Task A_product_refused_as_unknown_is_accepted_as_soon_as_the_catalog_has_it()
    {
        // The gateway remembers the products it found, never the codes it did not: a product the district office adds
        // must be accepted by every gateway at once.
        var code = $"test-late-{Guid.NewGuid():N}"[..30];
        var buyer = await admin.BuyerAsync();
        var (refused, problem, _) = await buyer.Api.PostAsync($"/api/buyers/{buyer.Id}/requests", factory.RequestBody(code, 1));
        Assert.Equal(HttpStatusCode.BadRequest, refused);
        Assert.Equal($"Unknown product '{code}'; see /api/products.", problem.GetProperty("errors").GetProperty("product")[0].GetString());

        await factory.Services.GetRequiredService<IGrainFactory>().GetGrain<IProductGrain>(code)
            .SetAsync(new Product(code, "Sản phẩm mới", "New product", "kg", 1, 12, 18));

        await buyer.Api.CreatedAsync($"/api/buyers/{buyer.Id}/requests", factory.RequestBody(code, 1));
    }

    /// <summary>Sends a command with <paramref name="key"/> in a counting scope of its own, writes what it cost to the
    /// test's output, and returns the scope.</summary>
    private async Task<string> SendCountedAsync(string key, string path, object body)
    {
        var scope = Guid.NewGuid().ToString("N");
        using var client = factory.HttpClientAs(key);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = JsonContent.Create(body) };
        request.Headers.Add(GrainCallCount.Header, scope);
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);

        var total = GrainCallCount.Total(scope);
        var storage = total.ToLookup(c => c.StartsWith("memorystorage.", StringComparison.Ordinal));
        output.WriteLine($"gateway {GrainCallCount.FromGateway(scope).Count}: {string.Join(", ", GrainCallCount.FromGateway(scope))}");
        output.WriteLine($"grain calls {storage[false].Count()}: {string.Join(", ", storage[false])}");
        output.WriteLine($"storage {storage[true].Count()}: {string.Join(", ", storage[true])}");
        return scope;
    }
}
