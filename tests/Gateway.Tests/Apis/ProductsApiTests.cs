using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace CoopMarket.Gateway.Tests.Apis;

[Collection(GatewayCollection.Name)]
public sealed class ProductsApiTests(GatewayFactory factory)
{
    [Fact]
    public async Task Products_lists_the_ten_district_products_with_Vietnamese_names_unescaped()
    {
        var response = await factory.CreateClient().GetAsync(new Uri("/api/products", UriKind.Relative));
        var raw = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.Contains("\"nameVi\":\"Thanh long\"", raw, StringComparison.Ordinal);
        Assert.Contains("\"nameVi\":\"Quýt Nam Sơn\"", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u", raw, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(raw);
        Assert.Equal(10, json.RootElement.GetArrayLength());
    }

    [Fact]
    public async Task A_product_is_found_by_its_code()
    {
        var product = await factory.CreateClient().GetFromJsonAsync<JsonElement>("/api/products/giao-co-lam-tea");

        Assert.Equal("Trà Giảo cổ lam", product.GetProperty("nameVi").GetString());
        Assert.Equal(365, product.GetProperty("shelfLifeDays").GetInt32());
    }

    [Fact]
    public async Task An_unknown_product_is_a_404_problem()
    {
        var response = await factory.CreateClient().GetAsync(new Uri("/api/products/durian", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(404, problem.GetProperty("status").GetInt32());
    }
}
