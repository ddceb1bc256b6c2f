using CoopMarket.Matching;
using Microsoft.Extensions.Logging;

namespace CoopMarket.Grains.Market;

// Rebuilding a book from its snapshot and journal, and writing the snapshot that keeps a restart short.
internal sealed partial class MarketGrain
{
    private void Restore(MarketSnapshot snapshot)
    {
        foreach (var lot in snapshot.Lots)
        {
            book.RestoreLot(new OpenLot(lot.Terms.ToSupplyLot(), lot.Sequence, lot.RemainingGrams));
            lots[lot.Terms.Id] = lot.Terms;
        }

        foreach (var request in snapshot.Requests)
        {
            book.RestoreRequest(new OpenRequest(request.Terms.ToPurchaseRequest(), request.Sequence, request.RemainingGrams, request.TakenByCooperative));
            requests[request.Terms.Id] = request.Terms;
        }

        foreach (var receipt in snapshot.Receipts)
        {
            receipts[receipt.Receipt.Id] = receipt;
        }

        foreach (var print in snapshot.RecentDeals)
        {
            recentDeals.Enqueue(print);
        }

        snapshotThrough = snapshot.ThroughEntry;
        nextEntry = snapshot.ThroughEntry + 1;
    }

    /// <summary>Applies a journalled entry as it was decided, without matching again.</summary>
    private void Replay(MarketEntry entry)
    {
        switch (entry.Kind)
        {
            case MarketEntryKind.LotPosted when entry.Lot is { } lot:
                book.RestoreLot(new OpenLot(lot.ToSupplyLot(), entry.Sequence, lot.QuantityGrams));
                lots[lot.Id] = lot;
                break;
            case MarketEntryKind.RequestPlaced when entry.Request is { } request:
                book.RestoreRequest(new OpenRequest(request.ToPurchaseRequest(), entry.Sequence, request.QuantityGrams, new Dictionary<string, long>()));
                requests[request.Id] = request;
                break;
            case MarketEntryKind.LotWithdrawn:
                book.WithdrawLot(entry.TargetId!);
                lots.Remove(entry.TargetId!);
                break;
            case MarketEntryKind.RequestCancelled:
                book.CancelRequest(entry.TargetId!);
                requests.Remove(entry.TargetId!);
                break;
            default:
                throw new InvalidOperationException($"Journal entry {entry.Number} of kind {entry.Kind} is incomplete.");
        }

        foreach (var deal in entry.Deals)
        {
            book.RestoreFill(deal.LotId, deal.RequestId, deal.QuantityGrams);
        }

        Remember(entry);
    }

    private async Task WriteSnapshotAsync()
    {
        var now = clock.GetUtcNow();
        foreach (var stale in receipts.Where(r => now - r.Value.At > ReceiptsKept).Select(r => r.Key).ToList())
        {
            receipts.Remove(stale);
        }

        var snapshot = new MarketSnapshot
        {
            ThroughEntry = nextEntry - 1,
            NextSequence = book.NextSequence,
            Lots = [.. book.Lots.Select(l => new SnapshotLot(lots[l.Lot.Id], l.Sequence, l.RemainingGrams))],
            Requests = [.. book.Requests.Select(r => new SnapshotRequest(requests[r.Request.Id], r.Sequence, r.RemainingGrams,
                new Dictionary<string, long>(r.TakenByCooperative)))],
            Receipts = [.. receipts.Values],
            RecentDeals = [.. recentDeals],
        };
        try
        {
            await journal.WriteSnapshotAsync(snapshot);
            snapshotThrough = snapshot.ThroughEntry;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The journal still holds every entry; a later snapshot will do.
            LogSnapshotFailed(logger, e, book.Product, snapshot.ThroughEntry);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Snapshot of market {Product} through entry {Entry} failed")]
    private static partial void LogSnapshotFailed(ILogger logger, Exception exception, string product, long entry);
}
