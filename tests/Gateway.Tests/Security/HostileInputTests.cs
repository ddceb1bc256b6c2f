using System.Net;
using System.Text;
using System.Text.Json;
using Xunit.Abstractions;

namespace CoopMarket.Gateway.Tests.Security;

/// <summary>Every write endpoint fed what an attacker or a broken client would send: each must get a 4xx problem,
/// never a 5xx, and the state read back afterwards must be as it was.</summary>
[Collection(GatewayCollection.Name)]
public sealed class HostileInputTests(GatewayFactory factory, ITestOutputHelper output)
{
    [Fact]
    public async Task Hostile_bodies_get_4xx_problems_and_change_nothing()
    {
        var admin = factory.Admin();
        var product = await factory.ProductAsync("hostile");
        var cooperative = await admin.CooperativeAsync("HTX chịu đòn");
        var buyer = await admin.BuyerAsync("Người mua chịu đòn");
        var chain = (await admin.CreatedAsync("/api/value-chains", new { name = "Chuỗi chịu đòn", products = new[] { product } })).GetProperty("id").GetString()!;
        // Free text (names, and places that fall back to the district) may hold any words, SQL-looking ones included:
        // they are stored and shown as data, never run. It is markup, control characters, size and type that they refuse.
        var targets = new Target[]
        {
            new("/api/cooperatives", admin, """{"name":"HTX","kind":"HTX","commune":"Đông Lai","district":"Tân Lạc","province":"Hòa Bình"}""",
                FreeText: ["name", "commune", "district", "province"]),
            new($"/api/cooperatives/{cooperative.Id}/lots", cooperative.Api,
                $$"""{"product":"{{product}}","quantityKg":10,"grade":"A","harvestFrom":"2026-12-10","harvestTo":"2026-12-20","askVndPerKg":20000}"""),
            new("/api/buyers", factory.Api(), """{"name":"Người mua","kind":"wholesaler","province":"Hà Nội"}""", FreeText: ["name"]),
            new($"/api/buyers/{buyer.Id}/requests", buyer.Api,
                $$"""{"product":"{{product}}","quantityKg":10,"deliverFrom":"2026-12-15","deliverBy":"2026-12-28","maxVndPerKg":30000}"""),
            new("/api/value-chains", admin, $$"""{"name":"Chuỗi","products":["{{product}}"],"policy":"PriceTime"}""", FreeText: ["name"], Optional: ["policy"]),
            new($"/api/value-chains/{chain}/members", admin, $$"""{"cooperativeId":"{{cooperative.Id}}","role":"producer"}""", Optional: ["role"]),
        };
        var before = await SnapshotAsync(admin, cooperative, buyer, chain, product);

        var cases = 0;
        var failures = new List<string>();
        foreach (var (path, caller, valid, freeText, optional) in targets)
        {
            foreach (var (name, body) in HostileBodies(valid, freeText ?? [], optional ?? []))
            {
                var (status, problem, response) = await caller.PostRawAsync(path, body);
                cases++;
                var isProblem = response.Content.Headers.ContentType?.MediaType == "application/problem+json";
                if ((int)status is < 400 or >= 500 || !isProblem)
                {
                    failures.Add($"{path} {name}: {(int)status} {response.Content.Headers.ContentType?.MediaType} {problem}");
                }
            }
        }

        output.WriteLine($"{cases} hostile cases over {targets.Length} write endpoints");
        foreach (var failure in failures)
        {
            output.WriteLine(failure);
        }

        Assert.Empty(failures);
        Assert.True(cases >= 200, $"only {cases} cases ran");
        Assert.Equal(before, await SnapshotAsync(admin, cooperative, buyer, chain, product));
    }

    private sealed record Target(string Path, Api Caller, string Valid, string[]? FreeText = null, string[]? Optional = null);

    /// <summary>Variations on a valid body that no market should accept.</summary>
    private static IEnumerable<(string Name, string Body)> HostileBodies(string valid, string[] freeText, string[] optional)
    {
        var fields = JsonDocument.Parse(valid).RootElement.EnumerateObject().Select(p => p.Name).ToList();
        yield return ("empty object", "{}");
        yield return ("empty body", "");
        yield return ("truncated", valid[..(valid.Length / 2)]);
        yield return ("malformed", "{\"name\": }");
        yield return ("array", "[]");
        yield return ("string", "\"hello\"");
        yield return ("number", "42");
        yield return ("null", "null");
        yield return ("trailing garbage", valid + "}}");
        yield return ("deeply nested", string.Concat(Enumerable.Repeat("{\"a\":", 200)) + "1" + new string('}', 200));
        yield return ("1 MB body", valid[..^1] + ",\"padding\":\"" + new string('x', 1_100_000) + "\"}");
        yield return ("duplicate keys", valid[..^1] + "," + valid[1..]);
        foreach (var field in fields)
        {
            if (!optional.Contains(field))
            {
                yield return ($"{field} missing", Without(valid, field));
                yield return ($"{field} = null", With(valid, field, "null"));
            }

            var values = freeText.Contains(field) ? HostileValues.Where(v => !v.MeaningfulText) : HostileValues;
            foreach (var (name, value, _) in values)
            {
                yield return ($"{field} = {name}", With(valid, field, value));
            }
        }
    }

    /// <summary>Values no field takes; <c>MeaningfulText</c> marks the ones that are fine words in a free-text field.</summary>
    private static readonly (string Name, string Json, bool MeaningfulText)[] HostileValues =
    [
        ("true", "true", false), ("object", "{}", false), ("array", "[1,2]", false), ("zero", "0", false), ("negative", "-1", false),
        ("huge", "1e30", false), ("beyond double", "1e400", false), ("NaN string", "\"NaN\"", true), ("fractional gram", "0.0001", false),
        ("empty string", "\"\"", false), ("control characters", "\"a\\u0000b\\u0007\"", false),
        ("very long Unicode", "\"" + string.Concat(Enumerable.Repeat("Thanh long ố ", 2_000)) + "\"", false),
        ("script", "\"<script>alert(1)</script>\"", false), ("SQL", "\"x'); DROP TABLE lots;--\"", true),
        ("absurd date", "\"2026-13-45\"", true), ("ancient date", "\"1999-01-01\"", true), ("far future date", "\"9999-12-31\"", true),
    ];

    private static string With(string json, string field, string value)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject();
        node[field] = System.Text.Json.Nodes.JsonNode.Parse(value);
        return node.ToJsonString();
    }

    private static string Without(string json, string field)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject();
        node.Remove(field);
        return node.ToJsonString();
    }

    /// <summary>Everything a hostile body could have changed, as text.</summary>
    private static async Task<string> SnapshotAsync(Api admin, Participant cooperative, Participant buyer, string chain, string product)
    {
        var text = new StringBuilder();
        foreach (var path in new[]
                 {
                     "/api/cooperatives", "/api/buyers", "/api/value-chains", $"/api/value-chains/{chain}", $"/api/markets/{product}",
                     $"/api/cooperatives/{cooperative.Id}/lots", $"/api/buyers/{buyer.Id}/requests",
                 })
        {
            var (_, body) = await admin.GetAsync(path);
            text.AppendLine(body.ToString());
        }

        return text.ToString();
    }
}
