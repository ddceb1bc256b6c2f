using CoopMarket.Grains.Catalog;
using CoopMarket.Grains.Market;
using CoopMarket.Matching;
using Orleans.Core.Internal;

namespace CoopMarket.Grains.Tests.Market;

/// <summary>A product of its own per test, so tests sharing the cluster never share a book.</summary>
/// <param name="clock">The market clock of the cluster <paramref name="grains"/> belongs to: the shared cluster's unless given.</param>
internal sealed class MarketScenario(IGrainFactory grains, string name, TimeProvider? clock = null)
{
    public static readonly GeoPlace DongLai = new("Đông Lai", 20.673, 105.327);
    public static readonly GeoPlace HaNoi = new("Hà Nội", 21.0285, 105.8542);

    // Lots and requests are dated from the market's day when the scenario begins, never from a fixed date: the tests that
    // share a cluster share its clock and move it on, so a fixed date would fall behind it (a lot no longer fresh, a
    // window closed, a deadline capped) in whichever test the suite's order happens to run late.
    private readonly DateOnly today = (clock ?? ClusterFixture.Clock).Today();

    public string Product { get; } = $"test-{name}-{Guid.NewGuid():N}";

    public IMarketGrain Market => grains.GetGrain<IMarketGrain>(Product);

    /// <summary>A scenario whose product exists, so its market can load.</summary>
    public static async Task<MarketScenario> CreateAsync(IGrainFactory grains, string name)
    {
        var market = new MarketScenario(grains, name);
        await market.CreateProductAsync();
        return market;
    }

    public Task CreateProductAsync() =>
        grains.GetGrain<IProductGrain>(Product).SetAsync(new Product(Product, "Thanh long thử", "Test dragon fruit", "kg", 5, 10, 18));

    public LotTerms Lot(string id, long kg, long ask, string cooperative = "coop") => new(
        $"{Product}-{id}", $"{Product}-{cooperative}", Product, kg * 1000, Grade.A, [new CertificationInfo(CertificationScheme.VietGAP)],
        today.AddDays(9), today.AddDays(19), ask, 0, DongLai, []);

    /// <summary>Posts a lot keyed by <paramref name="id"/> and answers its terms.</summary>
    public async Task<LotTerms> PostedLotAsync(string id, long kg, long ask, string cooperative = "coop")
    {
        var lot = Lot(id, kg, ask, cooperative);
        await Market.PostLotAsync(lot, id);
        return lot;
    }

    public RequestTerms Request(string id, long kg, long maxPrice, string buyer = "buyer") => new(
        $"{Product}-{id}", $"{Product}-{buyer}", Product, kg * 1000, Grade.B, [CertificationScheme.VietGAP], 0,
        today.AddDays(14), today.AddDays(27), maxPrice, HaNoi, true, null, null, null);

    /// <summary>Places a request that the book fills with exactly one deal, and answers that deal.</summary>
    public async Task<Deal> OneDealAsync(string request, string buyer, long kg = 10) =>
        Assert.Single((await Market.PlaceRequestAsync(Request(request, kg, 30_000, buyer), request)).Value!.Deals);

    /// <summary>Places <paramref name="request"/>, keyed by its id, which the book fills with exactly one deal, and
    /// answers that deal.</summary>
    public async Task<Deal> OneDealAsync(RequestTerms request) =>
        Assert.Single((await Market.PlaceRequestAsync(request, request.Id)).Value!.Deals);

    /// <summary>As <see cref="OneDealAsync(string, string, long)"/>, with the deal then confirmed and shipped.</summary>
    public async Task<Deal> ShippedDealAsync(string request, string buyer, long kg)
    {
        var deal = await OneDealAsync(request, buyer, kg);
        await StepAsync(deal, DealStep.Confirm, DealSide.Cooperative);
        await StepAsync(deal, DealStep.Ship, DealSide.Cooperative);
        return deal;
    }

    /// <summary>Takes a step on a deal; a delivery brings the whole deal unless <paramref name="delivered"/> says
    /// otherwise, and a settlement carries a payment reference.</summary>
    public Task<DealStepResult> StepAsync(Deal deal, DealStep step, DealSide side, long? delivered = null, string? reference = null) =>
        Market.TakeDealStepAsync(new DealCommand(deal.Id, step, side, null,
            step == DealStep.Deliver ? delivered ?? deal.QuantityGrams : null, step == DealStep.Settle ? reference ?? "ref" : null));

    /// <summary>A request's status and filled grams, as its record holds them.</summary>
    public async Task<(string Status, long FilledGrams)> RequestAsync(string requestId)
    {
        var view = (await grains.GetGrain<IPurchaseRequestGrain>(requestId).GetAsync())!;
        return (view.Status, view.FilledGrams);
    }

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
