using System.Globalization;
using CoopMarket.Grains.Market;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using StackExchange.Redis;

namespace CoopMarket.Deploy.Tests;

/// <summary>Reads every lot, request and deal back from Redis — what survives a crash, not what a live grain remembers —
/// and checks it against what the load saw acknowledged.</summary>
/// <remarks>Records are decoded with the grains' own state types, so the audit reads whatever shape they store.
/// Lot, request and deal records are projections of the markets' journals, carried after the journal write
/// and again when a market reactivates: after a crash they may lag for a moment. The audit reads again (bounded) until
/// nothing acknowledged is missing and every record agrees with its deals; what still fails then is a finding.</remarks>
internal static class RedisAudit
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static readonly Serializer Serializer = new ServiceCollection()
        .AddSerializer(s => s.AddAssembly(typeof(LotView).Assembly).AddAssembly(typeof(SupplyLotState).Assembly))
        .BuildServiceProvider()
        .GetRequiredService<Serializer>();

    public sealed record Findings(int Lost, decimal OversoldKg, IReadOnlyList<string> Problems, int LotsRead, int RequestsRead, int DealsRead);

    public static async Task<Findings> RunAsync(int redisPort, string serviceId, MarketLoad load)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{redisPort.ToString(CultureInfo.InvariantCulture)}");
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var findings = Audit(await ReadAsync(redis, serviceId), load);
            if ((findings.Lost == 0 && findings.Problems.Count == 0) || DateTime.UtcNow > deadline)
            {
                return findings;
            }

            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }

    private sealed record Store(Dictionary<string, LotView> Lots, Dictionary<string, RequestView> Requests, Dictionary<string, Deal> Deals);

    /// <summary>Every lot, request and deal record of the service: keys are <c>{serviceId}/state/{grainType}/{id}/{stateName}</c>.</summary>
    private static async Task<Store> ReadAsync(ConnectionMultiplexer redis, string serviceId)
    {
        var store = new Store([], [], []);
        var prefix = $"{serviceId}/state/";
        var database = redis.GetDatabase();
        var server = redis.GetServers().Single();
        await foreach (var key in server.KeysAsync(pattern: prefix + "*", pageSize: 1000))
        {
            var path = ((string)key!)[prefix.Length..];
            var stateName = path[(path.LastIndexOf('/') + 1)..];
            var id = path[(path.IndexOf('/') + 1)..path.LastIndexOf('/')];
            if (stateName is not ("lot" or "request" or "deal"))
            {
                continue;
            }

            var data = (byte[]?)await database.HashGetAsync(key, "data");
            if (data is not { Length: > 0 })
            {
                continue;
            }

            switch (stateName)
            {
                case "lot" when Serializer.Deserialize<SupplyLotState>(data)?.View is { } lot:
                    store.Lots[id] = lot;
                    break;
                case "request" when Serializer.Deserialize<PurchaseRequestState>(data)?.View is { } request:
                    store.Requests[id] = request;
                    break;
                case "deal" when Serializer.Deserialize<DealState>(data)?.Deal is { } deal:
                    store.Deals[id] = deal;
                    break;
            }
        }

        return store;
    }

    private static Findings Audit(Store store, MarketLoad load)
    {
        var problems = new List<string>();
        var lost = load.Lots.Keys.Count(id => !store.Lots.ContainsKey(id))
            + load.Requests.Keys.Count(id => !store.Requests.ContainsKey(id))
            + load.Deals.Keys.Count(id => !store.Deals.ContainsKey(id));

        // Every deal in the store counts, not only the acknowledged ones: a lot of this load may have been sold to a
        // request of another test, and a kilogram sold twice would show up only there.
        var soldByLot = store.Deals.Values.GroupBy(d => d.LotId).ToDictionary(g => g.Key, g => g.Sum(d => d.QuantityGrams));
        var boughtByRequest = store.Deals.Values.GroupBy(d => d.RequestId).ToDictionary(g => g.Key, g => g.Sum(d => d.QuantityGrams));
        long oversoldGrams = 0;
        foreach (var (id, (_, kg)) in load.Lots)
        {
            if (!store.Lots.TryGetValue(id, out var lot))
            {
                continue;
            }

            var sold = soldByLot.GetValueOrDefault(id);
            oversoldGrams += Math.Max(0, sold - lot.Terms.QuantityGrams);
            if (lot.Terms.QuantityGrams != Grams(kg))
            {
                problems.Add($"lot {id}: {lot.Terms.QuantityGrams} g stored, {Grams(kg)} g acknowledged");
            }

            if (lot.RemainingGrams + sold != lot.Terms.QuantityGrams)
            {
                problems.Add($"lot {id}: {lot.Terms.QuantityGrams} g ≠ {lot.RemainingGrams} g left + {sold} g in deals");
            }

            var dealsStored = store.Deals.Values.Count(d => d.LotId == id);
            if (lot.DealCount != dealsStored)
            {
                problems.Add($"lot {id} counts {lot.DealCount} deals, {dealsStored} are stored");
            }
        }

        foreach (var (id, (_, kg)) in load.Requests)
        {
            if (!store.Requests.TryGetValue(id, out var request))
            {
                continue;
            }

            var bought = boughtByRequest.GetValueOrDefault(id);
            oversoldGrams += Math.Max(0, bought - request.Terms.QuantityGrams);
            if (request.Terms.QuantityGrams != Grams(kg))
            {
                problems.Add($"request {id}: {request.Terms.QuantityGrams} g stored, {Grams(kg)} g acknowledged");
            }

            if (request.FilledGrams != bought)
            {
                problems.Add($"request {id}: filled {request.FilledGrams} g but its deals hold {bought} g");
            }
        }

        return new Findings(lost, oversoldGrams / 1000m, problems, store.Lots.Count, store.Requests.Count, store.Deals.Count);
    }

    private static long Grams(decimal kg) => (long)(kg * 1000);
}
