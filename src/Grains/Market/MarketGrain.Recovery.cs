using System.Diagnostics;
using CoopMarket.Grains.Participants;
using CoopMarket.Grains.Telemetry;
using CoopMarket.Matching;
using Microsoft.Extensions.Logging;

namespace CoopMarket.Grains.Market;

// Rebuilding a book from its snapshot and journal, and writing the snapshot that keeps a restart short.
internal sealed partial class MarketGrain
{
    private void Restore(MarketSnapshot snapshot, IReadOnlyList<SnapshotPage> pages)
    {
        // A snapshot from before pages existed holds everything itself: read as page 0 of each family, and written
        // again as pages by the next snapshot.
        var legacy = new SnapshotPage
        {
            Lots = snapshot.Lots, ClosedLots = snapshot.ClosedLots, Requests = snapshot.Requests,
            ClosedRequests = snapshot.ClosedRequests, Deals = snapshot.Deals,
        };
        foreach (var page in pages.Append(legacy))
        {
            RestorePage(page);
        }

        if (!legacy.IsEmpty)
        {
            snapshotPages.TouchAll();
        }

        foreach (var receipt in snapshot.Receipts)
        {
            receipts[receipt.Receipt.Id] = receipt;
        }

        foreach (var print in snapshot.RecentDeals)
        {
            recentDeals.Enqueue(print);
        }

        foreach (var (cooperativeId, rules) in snapshot.AutoConfirm)
        {
            autoConfirm[cooperativeId] = rules;
        }

        book.ContinueSequenceFrom(snapshot.NextSequence);
        snapshotThrough = snapshot.ThroughEntry;
        nextEntry = snapshot.ThroughEntry + 1;
    }

    private void RestorePage(SnapshotPage page)
    {
        foreach (var lot in page.Lots)
        {
            book.RestoreLot(new OpenLot(lot.Terms.ToSupplyLot(), lot.Sequence, lot.RemainingGrams, lot.ShortGrams));
            lots[lot.Terms.Id] = lot.Terms;
            if (lot.LastShortfall is { } shortfall)
            {
                lastShortfalls[lot.Terms.Id] = shortfall;
            }

            tally.Lot(lot.Terms, lot.RemainingGrams);
            snapshotPages.Restore(PageFamily.Lots, lot.Terms.Id, page.Number);
        }

        foreach (var request in page.Requests)
        {
            book.RestoreRequest(new OpenRequest(request.Terms.ToPurchaseRequest(), request.Sequence, request.RemainingGrams, request.TakenByCooperative));
            requests[request.Terms.Id] = request.Terms;
            tally.Request(request.Terms, request.RemainingGrams);
            snapshotPages.Restore(PageFamily.Requests, request.Terms.Id, page.Number);
        }

        RestoreDeals(page);
        foreach (var id in page.ClosedLots.Select(l => l.Terms.Id))
        {
            snapshotPages.Restore(PageFamily.Lots, id, page.Number);
        }

        foreach (var id in page.ClosedRequests.Select(r => r.Terms.Id))
        {
            snapshotPages.Restore(PageFamily.Requests, id, page.Number);
        }

        foreach (var deal in page.Deals)
        {
            snapshotPages.Restore(PageFamily.Deals, deal.Id, page.Number);
        }
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
            Receipts = [.. receipts.Values],
            RecentDeals = [.. recentDeals],
            ProjectedThrough = projection.ProjectedThrough,
            AutoConfirm = new Dictionary<string, AutoConfirmRules>(autoConfirm, StringComparer.Ordinal),
        };
        var writing = Stopwatch.GetTimestamp();
        var changed = snapshotPages.TakeChanged(FillPage);
        try
        {
            var pages = await journal.WriteSnapshotAsync(snapshot, changed);
            snapshotThrough = snapshot.ThroughEntry;
            MarketInstruments.SnapshotWritten(book.Product, Stopwatch.GetElapsedTime(writing), pages);
        }
        catch (OperationCanceledException)
        {
            // Not a storage fault, but these pages are no more written for it.
            snapshotPages.Unwritten(changed);
            throw;
        }
        catch (Exception e)
        {
            // The journal still holds every entry; a later snapshot will do, writing these pages again. A write may
            // have landed with its reply lost, leaving an etag we hold (the attempt's or the record's) stale: read both
            // again, or every later snapshot would be refused. Another activation's snapshot shows here too, usually
            // first as the attempt record it rewrote.
            snapshotPages.Unwritten(changed);
            LogSnapshotFailed(logger, e, book.Product, snapshot.ThroughEntry);
            await journal.RefreshAfterFailureAsync();
            if (journal.Superseded)
            {
                // Another activation's snapshot is stored: this one's book and directory are behind it.
                LogSnapshotSuperseded(logger, book.Product, snapshot.ThroughEntry);
                Poison();
            }
        }
    }

    /// <summary>Puts on <paramref name="page"/> what the market keeps of <paramref name="ids"/>, and returns the ids it
    /// no longer keeps.</summary>
    private IEnumerable<string> FillPage(PageFamily family, IEnumerable<string> ids, SnapshotPage page)
    {
        foreach (var id in ids)
        {
            var kept = family switch
            {
                PageFamily.Lots => FillLot(id, page),
                PageFamily.Requests => FillRequest(id, page),
                _ => FillDeal(id, page),
            };
            if (!kept)
            {
                yield return id;
            }
        }
    }

    private bool FillLot(string id, SnapshotPage page)
    {
        if (book.FindLot(id) is { } open && lots.TryGetValue(id, out var terms))
        {
            page.Lots.Add(new SnapshotLot(terms, open.Sequence, open.RemainingGrams, open.ShortGrams, lastShortfalls.GetValueOrDefault(id)));
            return true;
        }

        if (closedLots.TryGetValue(id, out var closed))
        {
            page.ClosedLots.Add(closed);
            return true;
        }

        return false;
    }

    private bool FillRequest(string id, SnapshotPage page)
    {
        if (book.FindRequest(id) is { } open && requests.TryGetValue(id, out var terms))
        {
            page.Requests.Add(new SnapshotRequest(terms, open.Sequence, open.RemainingGrams, new Dictionary<string, long>(open.TakenByCooperative)));
            return true;
        }

        if (closedRequests.TryGetValue(id, out var closed))
        {
            page.ClosedRequests.Add(closed);
            return true;
        }

        return false;
    }

    private bool FillDeal(string id, SnapshotPage page)
    {
        if (liveDeals.TryGetValue(id, out var deal))
        {
            page.Deals.Add(deal);
            return true;
        }

        return false;
    }

    /// <summary>What an entry changes of the snapshot's pages, live or replayed, before it changes the market: the
    /// items it brings go on its page, and the pages of everything it names are marked for the next snapshot.</summary>
    private void Paginate(MarketEntry entry)
    {
        if (entry is { Kind: MarketEntryKind.LotPosted, Lot: { } lot })
        {
            snapshotPages.Add(PageFamily.Lots, lot.Id, entry.Number);
        }

        if (entry is { Kind: MarketEntryKind.RequestPlaced, Request: { } request })
        {
            snapshotPages.Add(PageFamily.Requests, request.Id, entry.Number);
        }

        foreach (var deal in entry.Deals)
        {
            snapshotPages.Add(PageFamily.Deals, deal.Id, entry.Number);
        }

        foreach (var change in entry.LotChanges)
        {
            snapshotPages.Touch(PageFamily.Lots, change.LotId);
        }

        foreach (var change in entry.RequestChanges)
        {
            snapshotPages.Touch(PageFamily.Requests, change.RequestId);
        }

        foreach (var change in entry.DealChanges ?? [])
        {
            snapshotPages.Touch(PageFamily.Deals, change.DealId);
            snapshotPages.Touch(PageFamily.Lots, change.LotId);
            snapshotPages.Touch(PageFamily.Requests, change.RequestId);
        }
    }

    // Every call to the market waits for its activation: how long loading took, and on what, says what a restart costs.
    [LoggerMessage(Level = LogLevel.Information, Message = "Market {Product} loaded: snapshot through entry {Snapshot}, {Replayed} entries replayed after it, {Reprojected} entries projected again; reading took {ReadMs:0} ms, projecting {ProjectMs:0} ms, {StillPending} entries still pending")]
    private static partial void LogLoaded(ILogger logger, string product, long snapshot, long replayed, int reprojected, double readMs, double projectMs, int stillPending);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Snapshot of market {Product} through entry {Entry} names a page that is gone: rebuilding from the whole journal")]
    private static partial void LogSnapshotUnreadable(ILogger logger, string product, long entry);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Snapshot of market {Product} through entry {Entry} found another activation's snapshot stored: reloading")]
    private static partial void LogSnapshotSuperseded(ILogger logger, string product, long entry);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Snapshot of market {Product} through entry {Entry} failed")]
    private static partial void LogSnapshotFailed(ILogger logger, Exception exception, string product, long entry);
}
