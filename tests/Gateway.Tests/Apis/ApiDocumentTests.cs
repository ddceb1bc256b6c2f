using System.Net;
using System.Text.Json;

namespace CoopMarket.Gateway.Tests.Apis;

/// <summary>The served OpenAPI document says what the endpoints do: their success answers, their problems, their key,
/// their headers and parameters. A generated client is only as good as this document.</summary>
[Collection(GatewayCollection.Name)]
public sealed class ApiDocumentTests(GatewayFactory factory)
{
    private static readonly string[] Methods = ["get", "post", "put", "patch", "delete"];

    /// <summary>Operations anyone may call without a key; every other one needs the bearer key.</summary>
    private static readonly string[] Public = ["ListProducts", "GetProduct", "GetMarket", "RegisterBuyer", "GetTrace", "GetTraceQr"];

    /// <summary>Operations only the district administrator may call.</summary>
    private static readonly string[] AdminOnly = ["RegisterCooperative", "ListCooperatives", "ListBuyers", "CreateValueChain", "AddValueChainMember"];

    private async Task<JsonElement> DocumentAsync()
    {
        var response = await factory.CreateClient().GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.Clone();
    }

    private static IEnumerable<(string Path, string Method, JsonElement Operation)> Operations(JsonElement document) =>
        from path in document.GetProperty("paths").EnumerateObject()
        from method in path.Value.EnumerateObject()
        where Methods.Contains(method.Name)
        select (path.Name, method.Name, method.Value);

    private static string Id(JsonElement operation) => operation.GetProperty("operationId").GetString()!;

    private static string? SchemaRef(JsonElement response) =>
        response.TryGetProperty("content", out var content) && content.TryGetProperty("application/json", out var json)
            && json.GetProperty("schema").TryGetProperty("$ref", out var reference)
            ? reference.GetString()
            : null;

    [Fact]
    public async Task Only_the_API_is_described_and_its_server_has_no_trailing_slash()
    {
        var document = await DocumentAsync();

        Assert.All(document.GetProperty("paths").EnumerateObject(), path => Assert.StartsWith("/api/", path.Name, StringComparison.Ordinal));
        Assert.All(document.GetProperty("servers").EnumerateArray(), server => Assert.False(server.GetProperty("url").GetString()!.EndsWith('/')));
    }

    [Theory]
    [InlineData("RegisterCooperative", "201", "CooperativeDto")]
    [InlineData("RegisterBuyer", "201", "BuyerDto")]
    [InlineData("PostLot", "201", "LotPosted")]
    [InlineData("PlaceRequest", "201", "RequestPlaced")]
    [InlineData("CreateValueChain", "201", "ValueChainDto")]
    [InlineData("AddValueChainMember", "201", "ValueChainDto")]
    [InlineData("RotateBuyerKey", "201", "ApiKeyIssued")]
    [InlineData("VerifyBuyer", "200", "BuyerDto")]
    [InlineData("WithdrawLot", "200", "LotDto")]
    [InlineData("CancelRequest", "200", "RequestDto")]
    [InlineData("ListBuyers", "200", "PageOfBuyerDto")]
    [InlineData("ListCooperativeLots", "200", "PageOfLotDto")]
    [InlineData("ListBuyerRequests", "200", "PageOfRequestDto")]
    [InlineData("ListLotDeals", "200", "PageOfDealDto")]
    [InlineData("ListValueChains", "200", "PageOfValueChainDto")]
    [InlineData("GetDeal", "200", "DealDto")]
    [InlineData("GetAutoConfirm", "200", "AutoConfirmDto")]
    [InlineData("SetAutoConfirm", "200", "AutoConfirmDto")]
    public async Task An_operation_declares_its_success_status_and_schema(string operationId, string status, string schema)
    {
        var operation = Operations(await DocumentAsync()).Single(o => Id(o.Operation) == operationId).Operation;

        var success = operation.GetProperty("responses").EnumerateObject().Where(r => r.Name.StartsWith('2')).ToList();
        Assert.Equal(status, Assert.Single(success).Name);
        Assert.Equal($"#/components/schemas/{schema}", SchemaRef(success[0].Value));
    }

    [Fact]
    public async Task Every_operation_has_one_success_and_every_failure_is_a_problem()
    {
        foreach (var (path, method, operation) in Operations(await DocumentAsync()))
        {
            var responses = operation.GetProperty("responses").EnumerateObject().ToList();
            Assert.True(responses.Count(r => r.Name.StartsWith('2')) == 1, $"{method} {path} declares one success");
            Assert.Contains(responses, r => r.Name == "429");
            Assert.Contains(responses, r => r.Name == "503");
            foreach (var failure in responses.Where(r => r.Name[0] is '4' or '5'))
            {
                var content = failure.Value.GetProperty("content").EnumerateObject().ToList();
                Assert.True(content.Single().Name == "application/problem+json", $"{method} {path} {failure.Name} is a problem");
            }

            if (method == "post" && operation.TryGetProperty("requestBody", out _))
            {
                var badRequest = responses.Single(r => r.Name == "400").Value.GetProperty("content").GetProperty("application/problem+json");
                Assert.Equal("#/components/schemas/HttpValidationProblemDetails", badRequest.GetProperty("schema").GetProperty("$ref").GetString());
                Assert.Contains(responses, r => r.Name == "413");
            }
        }
    }

    [Fact]
    public async Task Conflicts_and_reused_keys_are_declared_where_they_happen()
    {
        var operations = Operations(await DocumentAsync()).ToDictionary(o => Id(o.Operation), o => o.Operation.GetProperty("responses"));

        Assert.True(operations["WithdrawLot"].TryGetProperty("409", out _));
        Assert.True(operations["CancelRequest"].TryGetProperty("409", out _));
        Assert.True(operations["PostLot"].TryGetProperty("422", out _));
        Assert.True(operations["PlaceRequest"].TryGetProperty("403", out _));
        Assert.True(operations["GetLot"].TryGetProperty("404", out _));
        Assert.False(operations["GetLot"].TryGetProperty("409", out _));
    }

    [Fact]
    public async Task Every_answer_holding_deals_and_only_those_takes_the_reason_s_language()
    {
        var carrying = new[] { "GetDeal", "ListCooperativeDeals", "ListBuyerDeals", "ListLotDeals", "ListRequestDeals", "PostLot", "PlaceRequest",
            "ConfirmDeal", "RejectDeal", "ShipDeal", "DeliverDeal", "SettleDeal", "CancelDeal" };
        foreach (var (path, method, operation) in Operations(await DocumentAsync()))
        {
            var language = operation.TryGetProperty("parameters", out var list)
                && list.EnumerateArray().Any(p => p.GetProperty("in").GetString() == "header" && p.GetProperty("name").GetString() == "Accept-Language");
            Assert.True(language == carrying.Contains(Id(operation)), $"{method} {path} {(language ? "takes" : "lacks")} Accept-Language");
        }
    }

    [Fact]
    public async Task Every_post_takes_an_idempotency_key_and_every_list_its_paging_parameters()
    {
        foreach (var (path, method, operation) in Operations(await DocumentAsync()))
        {
            var parameters = operation.TryGetProperty("parameters", out var list)
                ? list.EnumerateArray().Select(p => $"{p.GetProperty("in").GetString()}:{p.GetProperty("name").GetString()}").ToList()
                : [];
            Assert.True(method != "post" || parameters.Contains("header:Idempotency-Key"), $"{method} {path} takes Idempotency-Key");
            var paged = Id(operation).StartsWith("List", StringComparison.Ordinal) && Id(operation) != "ListProducts";
            Assert.True(!paged || (parameters.Contains("query:limit") && parameters.Contains("query:cursor")), $"{method} {path} pages");
        }
    }

    [Fact]
    public async Task The_bearer_key_is_declared_and_each_operation_says_whether_it_needs_it()
    {
        var document = await DocumentAsync();
        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer");
        Assert.Equal("http", scheme.GetProperty("type").GetString());
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());

        foreach (var (path, method, operation) in Operations(document))
        {
            var requirements = operation.GetProperty("security").EnumerateArray().ToList();
            var responses = operation.GetProperty("responses");
            if (Public.Contains(Id(operation)))
            {
                Assert.True(!requirements.Single().EnumerateObject().Any(), $"{method} {path} is public");
                Assert.False(responses.TryGetProperty("401", out _));
            }
            else
            {
                Assert.True(requirements.Single().TryGetProperty("bearer", out _), $"{method} {path} needs the key");
                Assert.True(responses.TryGetProperty("401", out _), $"{method} {path} answers 401");
            }

            var forbidden = AdminOnly.Contains(Id(operation)) || Id(operation) is "PlaceRequest" or "VerifyBuyer"
                // A deal's step belongs to one side; the other side and the administrator are refused.
                or "ConfirmDeal" or "RejectDeal" or "ShipDeal" or "DeliverDeal" or "SettleDeal" or "CancelDeal"
                // Only the lot's cooperative knows its harvest; the administrator is refused.
                or "ReportLotShortfall";
            Assert.True(forbidden == responses.TryGetProperty("403", out _), $"{method} {path} declares 403 exactly when it can answer it");
        }
    }

    [Fact]
    public async Task Contracts_carry_their_xml_comments_and_bodies_an_example_from_the_district_demo()
    {
        var document = await DocumentAsync();
        var postLot = document.GetProperty("components").GetProperty("schemas").GetProperty("PostLot");
        Assert.Contains("lot a cooperative posts", postLot.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Contains("grade", postLot.GetProperty("properties").GetProperty("grade").GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal("number", postLot.GetProperty("properties").GetProperty("askVndPerKg").GetProperty("type")
            .EnumerateArray().Single(t => t.GetString() != "null").GetString());

        var operations = Operations(document).ToDictionary(o => Id(o.Operation), o => o.Operation);
        var example = operations["RegisterCooperative"].GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("example");
        Assert.Equal("Hợp tác xã sản xuất và kinh doanh nông sản sạch Đông Lai", example.GetProperty("name").GetString());
        Assert.Equal("dragon-fruit", operations["PostLot"].GetProperty("requestBody").GetProperty("content").GetProperty("application/json")
            .GetProperty("example").GetProperty("product").GetString());
    }

    [Fact]
    public async Task A_body_example_from_the_document_is_accepted_by_the_market()
    {
        var operations = Operations(await DocumentAsync()).ToDictionary(o => Id(o.Operation), o => o.Operation);
        var example = operations["RegisterCooperative"].GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("example");

        var (status, body, _) = await factory.Admin().PostRawAsync("/api/cooperatives", example.GetRawText());

        Assert.True(status == HttpStatusCode.Created, body.ToString());
    }
}
