using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace CoopMarket.LoadGen;

/// <summary>What the benchmark asks of the market: participants and seed lots first, then one command per call of
/// <see cref="SendAsync"/>, each with its own idempotency key and a body the market can satisfy.</summary>
/// <remarks>Every request is for the same product, priced above every ask, delivered to Hà Nội inside the shelf life
/// of lots harvested in Tân Lạc from the market's today on, so each one fills at once and makes deals. The answers'
/// deals are summed here, so the market's own totals can be checked against what the client was told.</remarks>
internal sealed class Workload(HttpClient http, LoadOptions options)
{
    private static readonly TimeSpan VietnamOffset = TimeSpan.FromHours(7);
    private readonly string run = Guid.NewGuid().ToString("N")[..8];
    private readonly DateOnly today = DateOnly.FromDateTime(DateTimeOffset.UtcNow.ToOffset(VietnamOffset).DateTime);
    private readonly List<(string Id, string Key)> cooperatives = [];
    private readonly List<(string Id, string Key)> buyers = [];
    private long postedGrams;
    private long requestedGrams;
    private long dealtGrams;
    private long deals;

    public decimal PostedKg => Interlocked.Read(ref postedGrams) / 1000m;
    public decimal RequestedKg => Interlocked.Read(ref requestedGrams) / 1000m;
    public decimal DealtKg => Interlocked.Read(ref dealtGrams) / 1000m;
    public long Deals => Interlocked.Read(ref deals);

    /// <summary>Registers the cooperatives and verified buyers, <c>concurrency</c> at a time.</summary>
    public async Task RegisterParticipantsAsync()
    {
        var admin = options.AdminKey!;
        var registered = await InParallelAsync(options.Cooperatives, i => RegisterAsync("/api/cooperatives", $"{run}-coop-{i}", admin, new
        {
            name = $"HTX tải thử {run} {i}", kind = "HTX", commune = "Đông Lai", district = "Tân Lạc", province = "Hòa Bình", members = 20,
        }));
        cooperatives.AddRange(registered);
        // Registered by the administrator, so verified: the unverified cap is not what this benchmark measures.
        buyers.AddRange(await InParallelAsync(options.Buyers, i => RegisterAsync("/api/buyers", $"{run}-buyer-{i}", admin, new
        {
            name = $"Người mua tải thử {run} {i}", kind = "supermarket", province = "Hà Nội",
        })));
    }

    /// <summary>Posts the open lots the run's requests fill from; they count in the client's totals like any other lot.</summary>
    public async Task PostSeedLotsAsync() =>
        await InParallelAsync(options.SeedLots, async i =>
        {
            var status = await PostLotAsync(-1 - i, options.SeedLotKg);
            return status == HttpStatusCode.Created ? 0 : throw new InvalidOperationException($"A seed lot answered {(int)status}.");
        });

    /// <summary>Command number <paramref name="n"/> of the run: the floor, a place-request, or (in the mix) a post-lot.</summary>
    public Task<HttpStatusCode> SendAsync(long n) =>
        options.Floor ? FloorAsync()
        : !options.RequestsOnly && n % 100 < options.LotPercent ? PostLotAsync(n, options.MixLotKg)
        : PlaceRequestAsync(n);

    /// <summary>The market's summary: open supply and demand in kg and the number of open lots and requests.</summary>
    public async Task<MarketTotals> MarketTotalsAsync()
    {
        using var market = await http.GetFromJsonAsync<JsonDocument>($"/api/markets/{options.Product}")
            ?? throw new InvalidOperationException("The market answered no body.");
        var supply = market.RootElement.GetProperty("openSupply").EnumerateArray().ToList();
        var demand = market.RootElement.GetProperty("openDemand").EnumerateArray().ToList();
        return new MarketTotals(
            supply.Sum(b => b.GetProperty("quantityKg").GetDecimal()), supply.Sum(b => b.GetProperty("lots").GetInt32()),
            demand.Sum(b => b.GetProperty("quantityKg").GetDecimal()), demand.Sum(b => b.GetProperty("requests").GetInt32()));
    }

    /// <summary>How many records the first buyer's and first cooperative's own lists hold, read as the participant.</summary>
    public async Task<(int BuyerRequests, int BuyerDeals, int CooperativeLots)> ListedByFirstParticipantsAsync() => (
        await CountListAsync($"/api/buyers/{buyers[0].Id}/requests", buyers[0].Key),
        await CountListAsync($"/api/buyers/{buyers[0].Id}/deals", buyers[0].Key),
        await CountListAsync($"/api/cooperatives/{cooperatives[0].Id}/lots", cooperatives[0].Key));

    private async Task<HttpStatusCode> FloorAsync()
    {
        using var response = await http.GetAsync(new Uri("/bench/floor", UriKind.Relative));
        return response.StatusCode;
    }

    private Task<HttpStatusCode> PostLotAsync(long n, decimal kg)
    {
        var (id, key) = cooperatives[(int)(Math.Abs(n) % cooperatives.Count)];
        return CommandAsync($"/api/cooperatives/{id}/lots", key, $"{run}-lot-{n}", kg, isLot: true, new
        {
            product = options.Product, quantityKg = kg, grade = "A", harvestFrom = today, harvestTo = today.AddDays(5),
            // Asks spread over 50 price levels, as a real book has them, all below every request's price.
            askVndPerKg = 20_000 + Math.Abs(n) % 50 * 100,
        });
    }

    private Task<HttpStatusCode> PlaceRequestAsync(long n)
    {
        // Shifted by n / 100 so every buyer places requests in the mix too, where n % 100 < 20 are lots.
        var (id, key) = buyers[(int)((n + n / 100) % buyers.Count)];
        return CommandAsync($"/api/buyers/{id}/requests", key, $"{run}-request-{n}", options.RequestKg, isLot: false, new
        {
            product = options.Product, quantityKg = options.RequestKg, deliverFrom = today.AddDays(3), deliverBy = today.AddDays(17), maxVndPerKg = 40_000,
        });
    }

    private async Task<HttpStatusCode> CommandAsync(string path, string key, string idempotencyKey, decimal kg, bool isLot, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        using var response = await http.SendAsync(request);
        if (response.StatusCode == HttpStatusCode.Created)
        {
            using var answer = await response.Content.ReadFromJsonAsync<JsonDocument>() ?? throw new InvalidOperationException("201 without a body.");
            Interlocked.Add(ref isLot ? ref postedGrams : ref requestedGrams, Grams(kg));
            foreach (var deal in answer.RootElement.GetProperty("deals").EnumerateArray())
            {
                Interlocked.Increment(ref deals);
                Interlocked.Add(ref dealtGrams, Grams(deal.GetProperty("quantityKg").GetDecimal()));
            }
        }

        return response.StatusCode;
    }

    private async Task<(string Id, string Key)> RegisterAsync(string path, string idempotencyKey, string adminKey, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"POST {path} answered {(int)response.StatusCode}: {text}");
        }

        using var created = JsonDocument.Parse(text);
        return (created.RootElement.GetProperty("id").GetString()!, created.RootElement.GetProperty("apiKey").GetString()!);
    }

    /// <summary>Counts a list whether it is a plain array or a paged <c>{items, nextCursor}</c> answer, following the pages.</summary>
    private async Task<int> CountListAsync(string path, string key)
    {
        var count = 0;
        string? cursor = null;
        do
        {
            var page = cursor is null ? path : $"{path}?limit=500&cursor={Uri.EscapeDataString(cursor)}";
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(page, UriKind.Relative));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            using var response = await http.SendAsync(request);
            response.EnsureSuccessStatusCode();
            using var list = await response.Content.ReadFromJsonAsync<JsonDocument>() ?? throw new InvalidOperationException("A list without a body.");
            var root = list.RootElement;
            if (root.ValueKind == JsonValueKind.Array)
            {
                return root.GetArrayLength();
            }

            count += root.GetProperty("items").GetArrayLength();
            cursor = root.TryGetProperty("nextCursor", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
        }
        while (cursor is not null);
        return count;
    }

    private async Task<List<T>> InParallelAsync<T>(int count, Func<int, Task<T>> action)
    {
        var results = new T[count];
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency },
            async (i, _) => results[i] = await action(i));
        return [.. results];
    }

    private static long Grams(decimal kg) => (long)Math.Round(kg * 1000, MidpointRounding.AwayFromZero);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"run {run}: {cooperatives.Count} cooperatives, {buyers.Count} verified buyers, product {options.Product}, market today {today:yyyy-MM-dd} (UTC+7)");
}

/// <summary>The market's own view of its open book, from <c>GET /api/markets/{product}</c>.</summary>
internal sealed record MarketTotals(decimal OpenSupplyKg, int OpenLots, decimal OpenDemandKg, int OpenRequests);
