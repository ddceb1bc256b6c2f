using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace CoopMarket.Deploy.Tests;

/// <summary>A bounded load of lots and requests through both gateways, each POST with an idempotency key and retried
/// with the same key until acknowledged, as a careful client would. Counts everything for the reliability report.</summary>
/// <param name="patience">How long a POST keeps being retried before the load gives up on it: longer than any outage
/// the test strikes, including a whole cluster starting again.</param>
internal sealed class MarketLoad(IReadOnlyList<Uri> gateways, string adminKey, TimeSpan? patience = null)
{
    public static readonly string[] Products = ["dragon-fruit", "passion-fruit"];
    private const int MaxAttempts = 120;
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(250);

    private readonly TimeSpan postPatience = patience ?? TimeSpan.FromMinutes(2);
    private readonly HttpClient[] clients = [.. gateways.Select(g => new HttpClient { BaseAddress = g, Timeout = TimeSpan.FromSeconds(10) })];
    private readonly DateOnly today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(7));
    private int next;
    private int sent;
    private int retried;
    private int serverErrors;
    private int unavailable;
    private long lastFailure;
    private readonly Lock longest = new();
    /// <summary>The slowest POSTs so far, slowest first, each with where its time went.</summary>
    private readonly List<(long Ticks, string Attempts)> slowest = [];
    private const int SlowestKept = 3;

    public List<string> Cooperatives { get; } = [];
    public List<string> Buyers { get; } = [];

    /// <summary>Each participant's API key, from its registration.</summary>
    private readonly ConcurrentDictionary<string, string> keys = new();
    public ConcurrentDictionary<string, (string Owner, decimal Kg)> Lots { get; } = new();
    public ConcurrentDictionary<string, (string Owner, decimal Kg)> Requests { get; } = new();
    public ConcurrentDictionary<string, JsonElement> Deals { get; } = new();
    public ConcurrentBag<string> ServerErrorBodies { get; } = [];
    public int Sent => sent;
    public int Acknowledged => Lots.Count + Requests.Count + Cooperatives.Count + Buyers.Count;
    public int Retried => retried;

    /// <summary>The longest a POST waited for its acknowledgement, retries included: the stall a client saw.</summary>
    public double LongestWaitSeconds
    {
        get
        {
            lock (longest)
            {
                return slowest.Count == 0 ? 0 : TimeSpan.FromTicks(slowest[0].Ticks).TotalSeconds;
            }
        }
    }

    /// <summary>Seconds from <paramref name="faultTimestamp"/> to the last failed attempt after it: how long clients
    /// saw the fault. Zero when no attempt failed after it.</summary>
    public double SecondsFailingAfter(long faultTimestamp) =>
        Interlocked.Read(ref lastFailure) is var last && last > faultTimestamp
            ? Stopwatch.GetElapsedTime(faultTimestamp, last).TotalSeconds
            : 0;

    /// <summary>Answers 500 and other 5xx that are not a deliberate 503.</summary>
    public int ServerErrors => serverErrors;

    /// <summary>503 answers: the cluster said "try again", as it should while failing over.</summary>
    public int Unavailable => unavailable;

    public async Task RegisterAsync(int cooperatives, int buyers)
    {
        for (var i = 0; i < cooperatives; i++)
        {
            var body = new { name = $"HTX tải thử {i}", kind = "HTX", commune = i % 2 == 0 ? "Đông Lai" : "Thanh Hối", district = "Tân Lạc", province = "Hòa Bình" };
            Cooperatives.Add(Keep(await PostAsync("/api/cooperatives", adminKey, body)));
        }

        for (var i = 0; i < buyers; i++)
        {
            var body = new { name = $"Người mua tải thử {i}", kind = "wholesaler", province = i % 2 == 0 ? "Hà Nội" : "Hải Phòng" };
            Buyers.Add(Keep(await PostAsync("/api/buyers", adminKey, body)));
        }
    }

    /// <summary>Runs <paramref name="operations"/> operations on <paramref name="workers"/> workers; <paramref name="progress"/>
    /// is told the count acknowledged so far after each one, so a test can strike at a chosen point.</summary>
    public Task RunAsync(int operations, int workers, Action<int> progress)
    {
        var done = 0;
        return Parallel.ForEachAsync(Enumerable.Range(0, operations), new ParallelOptions { MaxDegreeOfParallelism = workers }, async (i, _) =>
        {
            var random = new Random(i);
            var product = Products[random.Next(Products.Length)];
            if (i % 2 == 0)
            {
                var cooperative = Cooperatives[random.Next(Cooperatives.Count)];
                var kg = random.Next(50, 400) + random.Next(0, 1000) / 1000m;
                var lot = await PostAsync($"/api/cooperatives/{cooperative}/lots", keys[cooperative], new
                {
                    product, quantityKg = kg, grade = "A", harvestFrom = today.AddDays(-1), harvestTo = today.AddDays(6),
                    askVndPerKg = 20_000 + 100 * random.Next(0, 50),
                });
                Record(lot);
                Lots[lot.GetProperty("id").GetString()!] = (cooperative, kg);
            }
            else
            {
                var buyer = Buyers[random.Next(Buyers.Count)];
                var kg = random.Next(20, 300) + random.Next(0, 1000) / 1000m;
                var request = await PostAsync($"/api/buyers/{buyer}/requests", keys[buyer], new
                {
                    product, quantityKg = kg, deliverFrom = today.AddDays(2), deliverBy = today.AddDays(9),
                    maxVndPerKg = 21_000 + 100 * random.Next(0, 50),
                });
                Record(request);
                Requests[request.GetProperty("id").GetString()!] = (buyer, kg);
            }

            progress(Interlocked.Increment(ref done));
        });
    }

    /// <summary>GET with bounded retries; reads may briefly fail while projections catch up after a failover.</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(string path)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                // Reads go as the administrator, who sees everything and is not rate limited.
                using var read = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
                read.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", adminKey);
                using var response = await clients[attempt % clients.Length].SendAsync(read);
                var body = await response.Content.ReadFromJsonAsync<JsonElement>();
                if ((int)response.StatusCode < 500 || attempt >= MaxAttempts)
                {
                    return (response.StatusCode, body);
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && attempt < MaxAttempts)
            {
            }

            await Task.Delay(RetryDelay);
        }
    }

    private void Record(JsonElement created)
    {
        foreach (var deal in created.GetProperty("deals").EnumerateArray())
        {
            Deals[deal.GetProperty("id").GetString()!] = deal;
        }
    }

    private string Keep(JsonElement registered)
    {
        var id = registered.GetProperty("id").GetString()!;
        keys[id] = registered.GetProperty("apiKey").GetString()!;
        return id;
    }

    private async Task<JsonElement> PostAsync(string path, string key, object body)
    {
        var idempotencyKey = Guid.NewGuid().ToString("N");
        var gateway = Interlocked.Increment(ref next);
        var started = Stopwatch.GetTimestamp();
        // Each attempt's start, gateway and outcome: for the longest wait, the report says where its time went.
        var attempts = new List<string>();
        for (var attempt = 0; Stopwatch.GetElapsedTime(started) < postPatience; attempt++)
        {
            var attemptStarted = Stopwatch.GetTimestamp();
            var at = DateTime.UtcNow;
            var via = (gateway + attempt) % clients.Length;
            void Note(string outcome) => attempts.Add($"{at:HH:mm:ss.fff} gateway {via}: {outcome} after {Stopwatch.GetElapsedTime(attemptStarted).TotalSeconds:0.0} s");
            Interlocked.Increment(ref sent);
            if (attempt > 0)
            {
                Interlocked.Increment(ref retried);
            }

            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = JsonContent.Create(body) };
                request.Headers.Add("Idempotency-Key", idempotencyKey);
                request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
                using var response = await clients[via].SendAsync(request);
                Note(((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    KeepIfSlow(Stopwatch.GetElapsedTime(started).Ticks, $"POST {path}: " + string.Join("; ", attempts));

                    return await response.Content.ReadFromJsonAsync<JsonElement>();
                }

                if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                {
                    Interlocked.Increment(ref unavailable);
                }
                else if ((int)response.StatusCode >= 500)
                {
                    Interlocked.Increment(ref serverErrors);
                    ServerErrorBodies.Add($"{(int)response.StatusCode} {path}: {await response.Content.ReadAsStringAsync()}");
                }
                else
                {
                    throw new InvalidOperationException($"POST {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                Note(e.GetType().Name);
                // A gateway unreachable, or a call cut off: the outcome is unknown, which the key makes safe to retry.
            }

            Interlocked.Exchange(ref lastFailure, Stopwatch.GetTimestamp());
            await Task.Delay(RetryDelay);
        }

        throw new TimeoutException($"POST {path} was not acknowledged within {postPatience.TotalSeconds:0} s.");
    }

    private void KeepIfSlow(long ticks, string attempts)
    {
        lock (longest)
        {
            slowest.Add((ticks, attempts));
            slowest.Sort((a, b) => b.Ticks.CompareTo(a.Ticks));
            if (slowest.Count > SlowestKept)
            {
                slowest.RemoveAt(SlowestKept);
            }
        }
    }

    /// <remarks>Attempts are timed by the clock of the machine (UTC, as in the processes' logs), so a slow POST can be
    /// placed before or after the fault, whose time the test reports beside this.</remarks>
    public string Report(string fault, double secondsToRecover, decimal oversoldKg, int lost)
    {
        lock (longest)
        {
            return $"{fault}: requests sent {Sent}, acknowledged {Acknowledged}, retried {Retried}, 503 seen {Unavailable}, " +
                $"other 5xx seen {ServerErrors}, kg oversold {oversoldKg}, records lost {lost}, seconds failing after the fault {secondsToRecover:0.0}, " +
                $"longest waits for an acknowledgement: " +
                string.Join(" | ", slowest.Select(s => $"{TimeSpan.FromTicks(s.Ticks).TotalSeconds:0.0} s ({s.Attempts})"));
        }
    }
}
