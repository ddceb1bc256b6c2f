using BenchmarkDotNet.Attributes;
using CoopMarket.Matching;

namespace CoopMarket.Matching.Benchmarks;

/// <summary>Operations per second on a book holding <see cref="RestingLots"/> open lots.</summary>
/// <remarks>Each iteration runs a batch of <see cref="Batch"/> operations; the iteration setup undoes the previous
/// batch (withdraws what was posted, returns what was filled, re-posts what was withdrawn) so the book stays at
/// its size for the whole run instead of being rebuilt, which would take longer than the measurement.</remarks>
[MemoryDiagnoser]
[MedianColumn]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 15, invocationCount: 1)]
public class BookBenchmarks
{
    private const int Batch = 10_000;

    private readonly List<SupplyLot> toPost = [];
    private readonly List<PurchaseRequest> toPlace = [];
    private readonly List<Fill> filled = [];
    private readonly List<string> toWithdraw = [];
    private Book book = null!;
    private SeasonMix mix = null!;

    [Params(1_000, 100_000, 1_000_000)]
    public int RestingLots { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        mix = new SeasonMix(seed: 2026);
        book = SeasonMix.NewBook();
        for (var i = 0; i < RestingLots; i++)
        {
            book.PostLot(mix.NextLot());
        }
    }

    [IterationSetup(Target = nameof(PostLot))]
    public void BeforePost()
    {
        UndoPosts();
        toPost.Clear();
        for (var i = 0; i < Batch; i++)
        {
            toPost.Add(mix.NextLot());
        }
    }

    /// <summary>A lot arrives, finds no resting request that can pay it (none rest in this case), and joins its shelf.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public void PostLot()
    {
        foreach (var lot in toPost)
        {
            book.PostLot(lot);
        }
    }

    [IterationSetup(Target = nameof(PlaceRequest))]
    public void BeforePlace()
    {
        UndoPlacements();
        toPlace.Clear();
        for (var i = 0; i < Batch; i++)
        {
            toPlace.Add(mix.NextRequest());
        }
    }

    /// <summary>A request arrives and fills from the best compatible lots, walking the shelves in landed-cost order.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public int PlaceRequest()
    {
        var fills = 0;
        foreach (var request in toPlace)
        {
            var outcome = book.PlaceRequest(request);
            filled.AddRange(outcome.Fills);
            fills += outcome.Fills.Count;
        }

        return fills;
    }

    [IterationSetup(Target = nameof(WithdrawLot))]
    public void BeforeWithdraw()
    {
        toWithdraw.Clear();
        for (var i = 0; i < Batch; i++)
        {
            var lot = mix.NextLot();
            book.PostLot(lot);
            toWithdraw.Add(lot.Id);
        }
    }

    /// <summary>A cooperative withdraws the unsold rest of a lot.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public long WithdrawLot()
    {
        long withdrawn = 0;
        foreach (var id in toWithdraw)
        {
            withdrawn += book.WithdrawLot(id) ?? throw new InvalidOperationException($"{id} is not in the book");
        }

        return withdrawn;
    }

    private void UndoPosts()
    {
        foreach (var lot in toPost)
        {
            book.WithdrawLot(lot.Id);
        }
    }

    private void UndoPlacements()
    {
        foreach (var fill in filled)
        {
            book.ReturnFill(fill);
        }

        foreach (var request in toPlace)
        {
            book.CancelRequest(request.Id);
        }

        filled.Clear();
    }
}
