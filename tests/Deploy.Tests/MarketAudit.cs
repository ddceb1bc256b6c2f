using System.Net;
using System.Text.Json;

namespace CoopMarket.Deploy.Tests;

/// <summary>Reads everything back through the API after a load and checks it against what was acknowledged.</summary>
internal static class MarketAudit
{
    private const int Patience = 60;

    public sealed record Findings(int Lost, decimal OversoldKg, IReadOnlyList<string> Problems);

    public static async Task<Findings> RunAsync(MarketLoad load)
    {
        var problems = new List<string>();
        var lost = 0;

        // Every acknowledged record exists. A record that is not there yet may be a projection still catching up
        // after the fault, so each gets a bounded wait before it counts as lost.
        var lots = new Dictionary<string, JsonElement>();
        foreach (var (id, _) in load.Lots)
        {
            if (await ReadAsync(load, $"/api/lots/{id}") is { } lot) lots[id] = lot; else lost++;
        }

        var requests = new Dictionary<string, JsonElement>();
        foreach (var (id, _) in load.Requests)
        {
            if (await ReadAsync(load, $"/api/requests/{id}") is { } request) requests[id] = request; else lost++;
        }

        foreach (var (id, _) in load.Deals)
        {
            if (await ReadAsync(load, $"/api/deals/{id}") is null) lost++;
        }

        // Every deal of this load's lots, as their cooperatives see them, and of its requests, as their buyers see
        // them. (Other tests share the markets, so a lot here may fill a request there, and the other way round.)
        var dealsOfLots = new Dictionary<string, JsonElement>();
        foreach (var cooperative in load.Cooperatives)
        {
            await CollectAsync(load, $"/api/cooperatives/{cooperative}/deals", dealsOfLots);

            // One key, one effect: the cooperative has exactly the lots that were acknowledged, no second copy.
            var listed = (await ListAllAsync(load, $"/api/cooperatives/{cooperative}/lots")).Count;
            var expected = load.Lots.Count(l => l.Value.Owner == cooperative);
            if (listed != expected)
            {
                problems.Add($"cooperative {cooperative} lists {listed} lots, {expected} were acknowledged");
            }
        }

        var dealsOfRequests = new Dictionary<string, JsonElement>();
        foreach (var buyer in load.Buyers)
        {
            await CollectAsync(load, $"/api/buyers/{buyer}/deals", dealsOfRequests);
        }

        decimal oversold = 0;
        foreach (var (id, lot) in lots)
        {
            var sold = dealsOfLots.Values.Where(d => d.GetProperty("lotId").GetString() == id).Sum(d => d.GetProperty("quantityKg").GetDecimal());
            var quantity = lot.GetProperty("quantityKg").GetDecimal();
            oversold += Math.Max(0, sold - quantity);
            var remaining = await SettledAsync(load, $"/api/lots/{id}", "remainingKg", quantity - sold);
            if (remaining + sold != quantity)
            {
                problems.Add($"lot {id}: {quantity} kg ≠ {remaining} kg left + {sold} kg sold");
            }
        }

        foreach (var (id, request) in requests)
        {
            var bought = dealsOfRequests.Values.Where(d => d.GetProperty("requestId").GetString() == id).Sum(d => d.GetProperty("quantityKg").GetDecimal());
            var quantity = request.GetProperty("quantityKg").GetDecimal();
            oversold += Math.Max(0, bought - quantity);
            var filled = await SettledAsync(load, $"/api/requests/{id}", "filledKg", bought);
            if (filled != bought)
            {
                problems.Add($"request {id}: filled {filled} kg but its deals hold {bought} kg");
            }
        }

        var missingDeals = load.Deals.Keys.Count(id => !dealsOfLots.ContainsKey(id) && !dealsOfRequests.ContainsKey(id));
        if (missingDeals > 0)
        {
            problems.Add($"{missingDeals} acknowledged deals are missing from the cooperatives' lists");
        }

        return new Findings(lost, oversold, problems);
    }

    private static async Task CollectAsync(MarketLoad load, string path, Dictionary<string, JsonElement> deals)
    {
        foreach (var deal in await ListAllAsync(load, path))
        {
            deals[deal.GetProperty("id").GetString()!] = deal;
        }
    }

    /// <summary>Every item of a paged list, following <c>nextCursor</c> to the end.</summary>
    private static async Task<List<JsonElement>> ListAllAsync(MarketLoad load, string path)
    {
        var items = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var (_, page) = await load.GetAsync(cursor is null ? $"{path}?limit=500" : $"{path}?limit=500&cursor={cursor}");
            items.AddRange(page.GetProperty("items").EnumerateArray());
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        return items;
    }

    private static async Task<JsonElement?> ReadAsync(MarketLoad load, string path)
    {
        for (var attempt = 0; attempt < Patience; attempt++)
        {
            var (status, body) = await load.GetAsync(path);
            if (status == HttpStatusCode.OK)
            {
                return body;
            }

            await Task.Delay(250);
        }

        return null;
    }

    /// <summary>The field's value once it equals <paramref name="expected"/>, or the last value read after a bounded wait.</summary>
    private static async Task<decimal> SettledAsync(MarketLoad load, string path, string field, decimal expected)
    {
        decimal value = -1;
        for (var attempt = 0; attempt < Patience && value != expected; attempt++)
        {
            if (attempt > 0)
            {
                await Task.Delay(250);
            }

            var (_, body) = await load.GetAsync(path);
            value = body.GetProperty(field).GetDecimal();
        }

        return value;
    }
}
