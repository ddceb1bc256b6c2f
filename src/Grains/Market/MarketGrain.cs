using System.Diagnostics;
using CoopMarket.Grains.Catalog;
using CoopMarket.Grains.Telemetry;
using CoopMarket.Matching;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Storage;

namespace CoopMarket.Grains.Market;

/// <summary>The market of one product: it owns the book, decides every match, and journals each decision before
/// anyone hears of it. Lot, request, deal and participant records are projections it keeps up to date.</summary>
internal sealed partial class MarketGrain(
    [FromKeyedServices("Default")] IGrainStorage storage,
    [FromKeyedServices(MarketTime.ServiceKey)] TimeProvider clock,
    ILogger<MarketGrain> logger) : Grain, IMarketGrain
{
    private const int SnapshotEvery = 200;
    private const int RecentDealsKept = 20;
    private static readonly TimeSpan ReceiptsKept = TimeSpan.FromHours(48);

    private readonly Dictionary<string, LotTerms> lots = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RequestTerms> requests = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RememberedReceipt> receipts = new(StringComparer.Ordinal);
    private readonly Queue<TradePrint> recentDeals = new();
    private Book book = null!;
    private MarketJournal journal = null!;
    private MarketProjection projection = null!;
    private long nextEntry = 1;
    private long snapshotThrough;
    private bool poisoned;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var product = this.GetPrimaryKeyString();
        var info = await GrainFactory.GetGrain<IProductGrain>(product).GetAsync()
            ?? throw new InvalidOperationException($"There is no market for unknown product '{product}'.");
        book = new Book(product, info.ShelfLifeDays);
        journal = new MarketJournal(storage, product);
        projection = new MarketProjection(GrainFactory, product, logger);

        if (await journal.ReadSnapshotAsync() is { } snapshot)
        {
            Restore(snapshot);
        }

        // Entries after the snapshot may not have reached their projections before the last activation ended.
        while (await journal.ReadAsync(nextEntry) is { } entry)
        {
            Replay(entry);
            projection.Enqueue(entry);
            nextEntry++;
        }

        await projection.DrainAsync();
        this.RegisterGrainTimer(static (market, _) => market.projection.DrainAsync(), this,
            new GrainTimerCreationOptions(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5)) { Interleave = false });
    }

    async Task<CommandResult<Receipt>> IMarketGrain.PostLotAsync(LotTerms lot, string bodyHash)
    {
        if (Remembered(lot.Id, bodyHash) is { } retry)
        {
            return retry;
        }

        var outcome = ThrowIfPoisoned().PostLot(lot.ToSupplyLot());
        var number = nextEntry;
        var deals = ToDeals(outcome.Fills, number);
        var receipt = new Receipt(lot.Id, LotStatus(outcome.RemainingGrams), outcome.RemainingGrams,
            lot.QuantityGrams - outcome.RemainingGrams, deals);
        lots[lot.Id] = lot;
        var entry = new MarketEntry(number, clock.GetUtcNow(), MarketEntryKind.LotPosted, lot, null, null, outcome.Sequence,
            deals, bodyHash, receipt, [new LotChange(lot.Id, number, outcome.RemainingGrams, receipt.Status, Ids(deals), lot)],
            RequestChanges(deals, number));
        await CommitAsync(entry);
        return new(CommandOutcome.Done, receipt);
    }

    async Task<CommandResult<Receipt>> IMarketGrain.PlaceRequestAsync(RequestTerms request, string bodyHash)
    {
        if (Remembered(request.Id, bodyHash) is { } retry)
        {
            return retry;
        }

        var outcome = ThrowIfPoisoned().PlaceRequest(request.ToPurchaseRequest());
        var number = nextEntry;
        var deals = ToDeals(outcome.Fills, number);
        var filled = request.QuantityGrams - outcome.RemainingGrams;
        var receipt = new Receipt(request.Id, RequestStatus(filled, outcome.RemainingGrams), outcome.RemainingGrams, filled, deals);
        requests[request.Id] = request;
        var entry = new MarketEntry(number, clock.GetUtcNow(), MarketEntryKind.RequestPlaced, null, request, null, outcome.Sequence,
            deals, bodyHash, receipt, LotChanges(deals, number),
            [new RequestChange(request.Id, number, filled, outcome.RemainingGrams, receipt.Status, Ids(deals), request)]);
        await CommitAsync(entry);
        return new(CommandOutcome.Done, receipt);
    }

    async Task<LotView?> IMarketGrain.WithdrawLotAsync(string lotId)
    {
        if (!lots.ContainsKey(lotId) || ThrowIfPoisoned().FindLot(lotId) is not { RemainingGrams: > 0 })
        {
            return null;
        }

        book.WithdrawLot(lotId);
        lots.Remove(lotId);
        var number = nextEntry;
        await CommitAsync(new MarketEntry(number, clock.GetUtcNow(), MarketEntryKind.LotWithdrawn, null, null, lotId, 0, [], null, null,
            [new LotChange(lotId, number, 0, LotView.Withdrawn, [], null)], []));
        return await GrainFactory.GetGrain<ISupplyLotGrain>(lotId).GetAsync();
    }

    async Task<RequestView?> IMarketGrain.CancelRequestAsync(string requestId)
    {
        if (!requests.TryGetValue(requestId, out var terms) || ThrowIfPoisoned().FindRequest(requestId) is not { RemainingGrams: > 0 } open)
        {
            return null;
        }

        book.CancelRequest(requestId);
        requests.Remove(requestId);
        var number = nextEntry;
        var filled = terms.QuantityGrams - open.RemainingGrams;
        await CommitAsync(new MarketEntry(number, clock.GetUtcNow(), MarketEntryKind.RequestCancelled, null, null, requestId, 0, [], null, null,
            [], [new RequestChange(requestId, number, filled, 0, RequestView.Cancelled, [], null)]));
        return await GrainFactory.GetGrain<IPurchaseRequestGrain>(requestId).GetAsync();
    }

    Task<MarketSummary> IMarketGrain.GetSummaryAsync() => Task.FromResult(MarketSummaries.Of(book, lots, requests, [.. recentDeals.Reverse()]));

    /// <summary>Journals the entry, then brings the projections up to date. The journal write is the commit point:
    /// once it succeeds the change stands even if a projection fails, and the projection is retried in order.</summary>
    private async Task CommitAsync(MarketEntry entry)
    {
        var writing = Stopwatch.GetTimestamp();
        try
        {
            await journal.AppendAsync(entry);
            MarketInstruments.JournalWritten(book.Product, Stopwatch.GetElapsedTime(writing), succeeded: true);
        }
        catch
        {
            MarketInstruments.JournalWritten(book.Product, Stopwatch.GetElapsedTime(writing), succeeded: false);
            // The book in memory already holds a change that may not be stored: let no call read it, and come back
            // from the journal, which holds the truth either way.
            poisoned = true;
            DeactivateOnIdle();
            throw;
        }

        nextEntry = entry.Number + 1;
        MarketInstruments.Committed(book.Product, entry.Kind, entry.Deals);
        Remember(entry);
        projection.Enqueue(entry);
        await projection.DrainAsync();
        if (entry.Number - snapshotThrough >= SnapshotEvery && projection.IsIdle)
        {
            await WriteSnapshotAsync();
        }
    }

    private Book ThrowIfPoisoned() => poisoned
        ? throw new MarketReloadingException()
        : book;

    private CommandResult<Receipt>? Remembered(string id, string bodyHash)
    {
        if (receipts.TryGetValue(id, out var remembered))
        {
            return remembered.BodyHash == bodyHash
                ? new(CommandOutcome.Replayed, remembered.Receipt)
                : new(CommandOutcome.KeyReused, null);
        }

        return lots.ContainsKey(id) || requests.ContainsKey(id) ? new(CommandOutcome.KeyReused, null) : null;
    }

    private void Remember(MarketEntry entry)
    {
        if (entry.Receipt is { } receipt && entry.BodyHash is { } hash)
        {
            receipts[receipt.Id] = new RememberedReceipt(hash, receipt, entry.At);
        }

        foreach (var deal in entry.Deals)
        {
            recentDeals.Enqueue(new TradePrint(deal.PriceVndPerKg, deal.QuantityGrams, deal.MadeAt));
            if (recentDeals.Count > RecentDealsKept)
            {
                recentDeals.Dequeue();
            }
        }
    }

    private List<Deal> ToDeals(IReadOnlyList<Fill> fills, long entryNumber)
    {
        var now = clock.GetUtcNow();
        return [.. fills.Select((fill, i) => new Deal($"deal-{book.Product}-{entryNumber}-{i + 1}", fill.LotId, fill.RequestId,
            fill.CooperativeId, fill.BuyerId, fill.Product, fill.QuantityGrams, fill.PriceVndPerKg, fill.TransportVndPerKg,
            Deal.Proposed, fill.Reason.ToString(), fill.HarvestOn, fill.DeliverOn, now))];
    }

    private List<LotChange> LotChanges(IEnumerable<Deal> deals, long number) =>
        [.. deals.GroupBy(d => d.LotId).Select(g =>
        {
            var remaining = book.FindLot(g.Key)!.RemainingGrams;
            return new LotChange(g.Key, number, remaining, LotStatus(remaining), Ids(g), null);
        })];

    private List<RequestChange> RequestChanges(IEnumerable<Deal> deals, long number) =>
        [.. deals.GroupBy(d => d.RequestId).Select(g =>
        {
            var remaining = book.FindRequest(g.Key)!.RemainingGrams;
            var filled = requests[g.Key].QuantityGrams - remaining;
            return new RequestChange(g.Key, number, filled, remaining, RequestStatus(filled, remaining), Ids(g), null);
        })];

    private static List<string> Ids(IEnumerable<Deal> deals) => [.. deals.Select(d => d.Id)];

    private static string LotStatus(long remaining) => remaining > 0 ? LotView.Open : LotView.Sold;

    private static string RequestStatus(long filled, long remaining) =>
        remaining == 0 ? RequestView.Filled : filled > 0 ? RequestView.Partial : RequestView.Open;
}
