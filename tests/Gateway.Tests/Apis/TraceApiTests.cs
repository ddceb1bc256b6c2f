using System.Buffers.Binary;
using System.Net;
using System.Text.Json;
using CoopMarket.Grains.Market;
using Microsoft.Extensions.DependencyInjection;
using QRCoder;

namespace CoopMarket.Gateway.Tests.Apis;

/// <summary>The public trace of shipped goods: anyone with the code reads their origin, and nothing of the buyer or the price.</summary>
[Collection(GatewayCollection.Name)]
public sealed class TraceApiTests(GatewayFactory factory)
{
    [Fact]
    public async Task Anyone_with_the_code_reads_the_goods_origin_and_never_the_buyer_or_the_price()
    {
        var (code, cooperative, buyer, deal) = await ShippedAsync("trace-public");
        using var http = factory.CreateClient();

        var response = await http.GetAsync(new Uri($"/api/trace/{code}", UriKind.Relative));
        var raw = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var trace = JsonDocument.Parse(raw).RootElement;
        Assert.Equal(code, trace.GetProperty("code").GetString());
        Assert.Equal((cooperative.Id, "HTX truy xuất Đông Lai"), (trace.GetProperty("cooperative").GetProperty("id").GetString(), trace.GetProperty("cooperative").GetProperty("name").GetString()));
        Assert.Equal(("Đông Lai", "Tân Lạc", "Hòa Bình"), (trace.GetProperty("commune").GetString(), trace.GetProperty("district").GetString(), trace.GetProperty("province").GetString()));
        Assert.Equal(deal.Product, trace.GetProperty("product").GetProperty("code").GetString());
        Assert.StartsWith("Sản phẩm thử", trace.GetProperty("product").GetProperty("nameVi").GetString(), StringComparison.Ordinal);
        Assert.Equal(("2026-12-10", "2026-12-11"), (trace.GetProperty("harvestWindow").GetProperty("from").GetString(), trace.GetProperty("harvestWindow").GetProperty("to").GetString()));
        Assert.Equal("VietGAP", Assert.Single(trace.GetProperty("certifications").EnumerateArray()).GetProperty("scheme").GetString());
        Assert.Equal(400m, trace.GetProperty("shippedKg").GetDecimal());
        Assert.Equal(["code", "product", "cooperative", "commune", "district", "province", "harvestWindow", "certifications", "shippedKg", "shippedAt", "deliveredKg", "deliveredAt"],
            trace.EnumerateObject().Select(p => p.Name));
        // Nothing of the other side or the money, in any field or value.
        Assert.DoesNotContain(buyer.Id, raw, StringComparison.Ordinal);
        Assert.DoesNotContain(deal.RequestId, raw, StringComparison.Ordinal);
        Assert.DoesNotContain(deal.Id, raw, StringComparison.Ordinal);
        Assert.DoesNotContain("25000", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("Vnd", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("buyer", raw, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("price", raw, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("\\u", raw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_QR_image_is_a_PNG_that_opens_the_public_trace_page_of_the_code()
    {
        var (code, _, _, _) = await ShippedAsync("trace-qr");
        using var http = factory.CreateClient();

        var response = await http.GetAsync(new Uri($"/api/trace/{code}/qr.png", UriKind.Relative));
        var png = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], png[..8]);
        Assert.Equal("IHDR"u8.ToArray(), png[12..16]);
        // "https://cho.htx-tanlac.example/trace/<16 characters>" (53 bytes) fits a version-4 code at level M: 33 modules
        // and 4 of quiet zone on each side, 8 pixels each.
        var width = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4));
        var height = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20, 4));
        Assert.Equal((41 * 8, 41 * 8), (width, height));
        Assert.Equal(PageQr(code), png);
    }

    [Fact]
    public async Task A_forged_Host_header_does_not_change_the_address_the_QR_code_opens()
    {
        var (code, _, _, _) = await ShippedAsync("trace-host");
        using var http = factory.CreateClient();

        foreach (var host in new[] { "evil.example", "localhost:5080", "cho.htx-tanlac.example.evil.example" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"http://{host}/api/trace/{code}/qr.png"));
            request.Headers.Host = host;
            using var forged = await http.SendAsync(request);

            Assert.Equal(HttpStatusCode.OK, forged.StatusCode);
            Assert.Equal(PageQr(code), await forged.Content.ReadAsByteArrayAsync());
        }
    }

    /// <summary>The symbol the trace page's address on the configured public site makes, module for module: a code for
    /// any other text differs.</summary>
    private static byte[] PageQr(string code)
    {
        using var expected = QRCodeGenerator.GenerateQrCode($"{GatewayFactory.PublicBaseUrl}/trace/{code}", QRCodeGenerator.ECCLevel.M);
        return new PngByteQRCode(expected).GetGraphic(8);
    }

    [Fact]
    public async Task A_code_typed_in_lower_case_reads_the_same_trace_and_the_same_QR_image()
    {
        var (code, _, _, _) = await ShippedAsync("trace-lower");
        using var http = factory.CreateClient();

        var lower = await http.GetAsync(new Uri($"/api/trace/{code.ToLowerInvariant()}", UriKind.Relative));
        var qr = await http.GetAsync(new Uri($"/api/trace/{code.ToLowerInvariant()}/qr.png", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, lower.StatusCode);
        Assert.Equal(code, JsonDocument.Parse(await lower.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, qr.StatusCode);
        Assert.Equal(await (await http.GetAsync(new Uri($"/api/trace/{code}/qr.png", UriKind.Relative))).Content.ReadAsByteArrayAsync(),
            await qr.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("")]
    [InlineData("/qr.png")]
    public async Task A_malformed_code_is_refused_and_an_unknown_one_is_not_found_as_problems(string suffix)
    {
        using var http = factory.CreateClient();

        foreach (var (code, status) in new[]
                 {
                     ("not-a-code", HttpStatusCode.BadRequest), ("0123456789abcdeu", HttpStatusCode.BadRequest),
                     ("0123456789ABCDEFG", HttpStatusCode.BadRequest), (TraceCode.New(), HttpStatusCode.NotFound),
                 })
        {
            var response = await http.GetAsync(new Uri($"/api/trace/{code}{suffix}", UriKind.Relative));
            Assert.Equal(status, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    /// <summary>A deal made over the API and then recorded as shipped under a new trace code, the way the deal
    /// lifecycle's ship step leaves its record (here written straight into the deal grain, under an id of its own).</summary>
    private async Task<(string Code, Participant Cooperative, Participant Buyer, Deal Deal)> ShippedAsync(string name)
    {
        var product = await factory.ProductAsync(name);
        var cooperative = await factory.Admin().CooperativeAsync("HTX truy xuất Đông Lai");
        await cooperative.Api.CreatedAsync($"/api/cooperatives/{cooperative.Id}/lots", new
        {
            product, quantityKg = 1_000, grade = "A", certifications = new[] { new { scheme = "VietGAP" } },
            harvestFrom = factory.Today.AddDays(9), harvestTo = factory.Today.AddDays(10), askVndPerKg = 25_000,
        });
        var buyer = await factory.Admin().BuyerAsync("Người mua truy xuất");
        var placed = await buyer.Api.CreatedAsync($"/api/buyers/{buyer.Id}/requests", new
        {
            product, quantityKg = 400, deliverFrom = factory.Today.AddDays(11), deliverBy = factory.Today.AddDays(20), maxVndPerKg = 30_000,
        });
        var grains = factory.Services.GetRequiredService<IGrainFactory>();
        var made = (await grains.GetGrain<IDealGrain>(placed.GetProperty("deals")[0].GetProperty("id").GetString()!).GetAsync())!;
        var shipped = made with { Id = $"{made.Id}-shipped", TraceCode = TraceCode.New() };
        await grains.GetGrain<IDealGrain>(shipped.Id).RecordAsync(shipped, []);
        // Both sides read the code on their deal; a deal not shipped has none.
        Assert.Equal(shipped.TraceCode, (await cooperative.Api.GetAsync($"/api/deals/{shipped.Id}")).Body.GetProperty("traceCode").GetString());
        Assert.Equal(JsonValueKind.Null, (await buyer.Api.GetAsync($"/api/deals/{made.Id}")).Body.GetProperty("traceCode").ValueKind);
        return (shipped.TraceCode!, cooperative, buyer, shipped);
    }
}
