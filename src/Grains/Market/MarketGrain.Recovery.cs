using CoopMarket.Grains.Participants;
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
            book.RestoreLot(new OpenLot(lot.Terms.ToSupplyLot(), lot.Sequence, lot.RemainingGrams, lot.ShortGrams));
            lots[lot.Terms.Id] = lot.Terms;
            if (lot.LastShortfall is { } shortfall)
            {
                lastShortfalls[lot.Terms.Id] = shortfall;
            }

            tally.Lot(lot.Terms, lot.RemainingGrams);
        }

        foreach (var request in snapshot.Requests)
        {
            book.RestoreRequest(new OpenRequest(request.Terms.ToPurchaseRequest(), request.Sequence, request.RemainingGrams, request.TakenByCooperative));
            requests[request.Terms.Id] = request.Terms;
            tally.Request(request.Terms, request.RemainingGrams);
        }

        foreach (var receipt in snapshot.Receipts)
        {
            receipts[receipt.Receipt.Id] = receipt;
        }

        foreach (var print in snapshot.RecentDeals)
        {
            recentDeals.Enqueue(print);
        }

        RestoreDeals(snapshot);
        foreach (var (cooperativeId, rules) in snapshot.AutoConfirm)
        {
            autoConfirm[cooperativeId] = rules;
        }

        book.ContinueSequenceFrom(snapshot.NextSequence);
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
            case MarketEntryKind.LotWithdrawn or MarketEntryKind.RequestCancelled or MarketEntryKind.Expired or MarketEntryKind.AutoConfirmSet:
                // Their changes close what they name, which Settle takes out of the book; rules, Settle keeps.
                break;
            case var kind when kind.IsDealStep() && entry.DealChanges is not null:
                ReplayDealChanges(entry);
                break;
            case MarketEntryKind.LotShorted when entry.TargetId is { } lotId && entry.DealChanges is not null:
                book.ShortLot(lotId, entry.LotChanges.First(c => c.LotId == lotId).ShortfallGrams);
                ReplayDealChanges(entry);
                break;
            default:
                throw new InvalidOperationException($"Journal entry {entry.Number} of kind {entry.Kind} is incomplete.");
        }

        foreach (var deal in entry.Deals)
        {
            book.RestoreFill(deal.LotId, deal.RequestId, deal.QuantityGrams);
        }

        Settle(entry);
        Remember(entry);
    }

    private async Task WriteSnapshotAsync()
    {
        foreach (var delivered in receipts.Values.OrderByDescending(r => r.Entry).Skip(ReceiptsKept)
                     .Where(r => projection.HasProjected(r.Entry)).Select(r => r.Receipt.Id).ToList())
        {
            receipts.Remove(delivered);
        }

        var snapshot = new MarketSnapshot
        {
            ThroughEntry = nextEntry - 1,
            NextSequence = book.NextSequence,
            Lots = [.. book.Lots.Select(l => new SnapshotLot(lots[l.Lot.Id], l.Sequence, l.RemainingGrams, l.ShortGrams,
                lastShortfalls.GetValueOrDefault(l.Lot.Id)))],
            Requests = [.. book.Requests.Select(r => new SnapshotRequest(requests[r.Request.Id], r.Sequence, r.RemainingGrams,
                new Dictionary<string, long>(r.TakenByCooperative)))],
            Receipts = [.. receipts.Values],
            RecentDeals = [.. recentDeals],
            ProjectedThrough = projection.ProjectedThrough,
            Deals = [.. liveDeals.Values],
            ClosedLots = [.. closedLots.Values],
            ClosedRequests = [.. closedRequests.Values],
            AutoConfirm = new Dictionary<string, AutoConfirmRules>(autoConfirm, StringComparer.Ordinal),
        };
        try
        {
            await journal.WriteSnapshotAsync(snapshot);
            snapshotThrough = snapshot.ThroughEntry;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The journal still holds every entry; a later snapshot will do. The write may have landed with its reply
            // lost, leaving the etag we hold stale: read it again, or every later snapshot would be refused.
            LogSnapshotFailed(logger, e, book.Product, snapshot.ThroughEntry);
            await journal.RefreshSnapshotETagAsync();
        }
    }

    // Every call to the market waits for its activation: how long loading took, and on what, says what a restart costs.
    [LoggerMessage(Level = LogLevel.Information, Message = "Market {Product} loaded: snapshot through entry {Snapshot}, {Replayed} entries replayed after it, {Reprojected} entries projected again; reading took {ReadMs:0} ms, projecting {ProjectMs:0} ms, {StillPending} entries still pending")]
    private static partial void LogLoaded(ILogger logger, string product, long snapshot, long replayed, int reprojected, double readMs, double projectMs, int stillPending);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Snapshot of market {Product} through entry {Entry} failed")]
    private static partial void LogSnapshotFailed(ILogger logger, Exception exception, string product, long entry);
}
