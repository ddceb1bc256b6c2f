using CoopMarket.Grains.Catalog;
using CoopMarket.Grains.Market;
using CoopMarket.Matching;
using Orleans.Core.Internal;

namespace CoopMarket.Grains.Tests.Market;

/// <summary>A product of its own per test, so tests sharing the cluster never share a book.</summary>
internal sealed class MarketScenario(IGrainFactory grains, string name)
{
    public static readonly GeoPlace DongLai = new("Đông Lai", 20.673, 105.327);
    public static readonly GeoPlace HaNoi = new("Hà Nội", 21.0285, 105.8542);

    public string Product { get; } = $"test-{name}-{Guid.NewGuid():N}";

    public IMarketGrain Market => grains.GetGrain<IMarketGrain>(Product);

    public Task CreateProductAsync() =>
        grains.GetGrain<IProductGrain>(Product).SetAsync(new Product(Product, "Thanh long thử", "Test dragon fruit", "kg", 5, 10, 18));

    public LotTerms Lot(string id, long kg, long ask, string cooperative = "coop") => new(
        $"{Product}-{id}", $"{Product}-{cooperative}", Product, kg * 1000, Grade.A, [new CertificationInfo(CertificationScheme.VietGAP)],
        new DateOnly(2026, 12, 10), new DateOnly(2026, 12, 20), ask, 0, DongLai, []);

    public RequestTerms Request(string id, long kg, long maxPrice, string buyer = "buyer") => new(
        $"{Product}-{id}", $"{Product}-{buyer}", Product, kg * 1000, Grade.B, [CertificationScheme.VietGAP], 0,
        new DateOnly(2026, 12, 15), new DateOnly(2026, 12, 28), maxPrice, HaNoi, true, null, null, null);

    /// <summary>Places a request that the book fills with exactly one deal, and answers that deal.</summary>
    public async Task<Deal> OneDealAsync(string request, string buyer, long kg = 10) =>
        Assert.Single((await Market.PlaceRequestAsync(Request(request, kg, 30_000, buyer), request)).Value!.Deals);

    /// <summary>Ends the market's activation (only the market's: its records stay as they are), so its next command
    /// loads it from its snapshot and journal.</summary>
    /// <remarks>Asked again while it stays active: its deadline reminder may have woken it as it went.</remarks>
    public async Task DeactivateAsync()
    {
        var management = grains.GetGrain<IManagementGrain>(0);
        for (var until = DateTime.UtcNow.AddSeconds(30); DateTime.UtcNow < until;)
        {
            await Market.AsReference<IGrainManagementExtension>().DeactivateOnIdle();
            for (var again = DateTime.UtcNow.AddSeconds(2); DateTime.UtcNow < again; await Task.Delay(20))
            {
                // Asks every silo's catalog: the directory's answer (GetActivationAddress) may come from a stale cache.
                if (!(await management.GetActiveGrains(Market.GetGrainId().Type)).Contains(Market.GetGrainId()))
                {
                    return;
                }
            }
        }

        Assert.Fail("the market did not deactivate");
    }

    /// <summary>A summary's open supply and demand bands as one line, so two markets' summaries compare as text.</summary>
    public static string Describe(MarketSummary summary) =>
        string.Join(";", summary.OpenSupply.Select(b => $"{b.Grade}{b.FromVndPerKg}:{b.Lots}/{b.Grams}")) + "|" +
        string.Join(";", summary.OpenDemand.Select(b => $"{b.MinGrade}{b.FromVndPerKg}:{b.Requests}/{b.Grams}"));

    /// <summary>Calls the market until an activation answers: one poisoned by a fault is on its way out, and the next
    /// call meets the market reloaded from its journal.</summary>
    public static async Task<T> RetryWhileReloadingAsync<T>(Func<Task<T>> call)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (Exception e) when (attempt < 10 && e is MarketReloadingException or OrleansMessageRejectionException)
            {
                await Task.Delay(50);
            }
        }
    }
}
