using CoopMarket.Matching;
using Microsoft.Extensions.Logging;

namespace CoopMarket.Grains.Market;

// The deal lifecycle: every step that moves kilograms or decides a deal's fate is an entry of this journal, so the
// market stays the one owner of every kilogram, from proposal until the deal is final.
internal sealed partial class MarketGrain : IRemindable
{
    private const string DeadlineReminder = "confirm-deadlines";

    // A reminder wakes the market, on whichever silo, to expire what nobody confirmed; while the market is active its
    // timer does the same every few seconds, so the reminder's period only bounds how late a deadline is noticed after
    // a restart. One minute is Orleans' shortest.
    private static readonly TimeSpan DeadlineReminderPeriod = TimeSpan.FromMinutes(1);

    // Expiries one entry carries at most, of deals or of stale lots and requests: a few hundred bytes each, so an entry
    // stays a small record.
    private const int ExpiriesPerEntry = 1_000;

    private readonly Dictionary<string, LiveDeal> liveDeals = new(StringComparer.Ordinal);
    private readonly SortedSet<(DateTimeOffset ConfirmBy, string DealId)> deadlines = [];
    private readonly Dictionary<string, int> returnableByLot = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> returnableByRequest = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ClosedLot> closedLots = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ClosedRequest> closedRequests = new(StringComparer.Ordinal);
    private bool reminding;

    // Registering (by the journal's writer, outside the turn) and unregistering (by the reminder's tick, in the turn) go
    // one at a time, chained as the turn is: interleaved, a registration could land, the tick remove it and clear the
    // flag, and the writer then set the flag, so later deadlines would get no reminder while the market sleeps.
    private Task reminderChanged = Task.CompletedTask;

    Task<DealStepResult> IMarketGrain.TakeDealStepAsync(DealCommand command) => InTurnAsync(() => TakeDealStepAsync(command));

    private async Task<DealStepResult> TakeDealStepAsync(DealCommand command)
    {
        Ready();
        await ExpireStaleAsync();
        await ExpireDueDealsAsync();
        if (!liveDeals.TryGetValue(command.DealId, out var deal))
        {
            return await DeliveredStepAsync(command);
        }

        var target = DealLifecycle.Target(command.Step);
        if (!DealLifecycle.MayTake(command.Side, command.Step))
        {
            return new(DealStepOutcome.WrongSide, null, deal.Status);
        }

        if (command.Key is not null && deal.Last is { } last && last.Key == command.Key && last.Status == target)
        {
            return new(DealStepOutcome.Replayed, last, deal.Status);
        }

        if (!DealLifecycle.Allows(deal.Status, command.Step))
        {
            return new(DealStepOutcome.Illegal, null, deal.Status);
        }

        // The gateway checks delivered kilograms against the deal's record; the market, which owns them, still refuses
        // a delivery of more grams than the deal shipped, or of fewer than none, from any caller.
        if (command.Step == DealStep.Deliver && (command.DeliveredGrams is not { } delivered || delivered < 0 || delivered > deal.Grams))
        {
            throw new ArgumentOutOfRangeException(nameof(command), command.DeliveredGrams,
                $"Deal {deal.Id} shipped {deal.Grams} g: a delivery records 0 to {deal.Grams} g.");
        }

        var change = await StepAsync(deal, target, command.Side, command.Key, command.Step == DealStep.Ship ? TraceCode.New() : null,
            command.DeliveredGrams, command.Reference);
        return new(DealStepOutcome.Done, change, change.Status);
    }

    /// <summary>Takes a step of a deal the market does not keep: a delivered one (no step can move its grams again),
    /// checked against its record, or one that is final or unknown. Settlement stays a journal entry of the market, so
    /// the record and both inboxes get it in journal order and the inboxes' per-product dedupe holds; and the market,
    /// one command at a time in its turn (held until the write lands), still decides it, so two settlements racing each
    /// other cannot both be written.</summary>
    private async Task<DealStepResult> DeliveredStepAsync(DealCommand command)
    {
        // The record must have every step the market wrote (a settlement written a moment ago too), or it could be
        // settled twice; a record the projection cannot reach now is a transient failure the caller retries. Every step
        // of a deal keeps the turn until its entry has landed, so all of them are committed by now; placements decided
        // before this turn may land while the drain runs, and their records are no reason to refuse (under load there
        // is always one), so only what was committed when the drain began must be carried.
        var stepsThrough = committedThrough;
        await projection.DrainAsync();
        if (projection.ProjectedThrough < stepsThrough)
        {
            throw new TimeoutException($"The records of market {book.Product} are not up to date yet; take the step of deal {command.DealId} again.");
        }

        var record = GrainFactory.GetGrain<IDealGrain>(command.DealId);
        if (await record.GetAsync() is not { Status: Deal.Delivered } deal || deal.Product != book.Product)
        {
            return new(DealStepOutcome.NotLive, null);
        }

        if (!DealLifecycle.MayTake(command.Side, command.Step))
        {
            return new(DealStepOutcome.WrongSide, null, deal.Status);
        }

        // A retried delivery is answered as the market answered a live deal's.
        if (command.Key is not null && await record.FindStepAsync(DealLifecycle.Target(command.Step), command.Key) is { } last)
        {
            return new(DealStepOutcome.Replayed, last, deal.Status);
        }

        if (!DealLifecycle.Allows(deal.Status, command.Step))
        {
            return new(DealStepOutcome.Illegal, null, deal.Status);
        }

        var delivered = new LiveDeal(deal.Id, deal.LotId, deal.RequestId, deal.CooperativeId, deal.BuyerId, deal.QuantityGrams, deal.Status,
            deal.ConfirmBy ?? deal.MadeAt, deal.BuyerVerified);
        var change = await StepAsync(delivered, Deal.Settled, command.Side, command.Key, traceCode: null, deliveredGrams: null, command.Reference);
        return new(DealStepOutcome.Done, change, change.Status);
    }

    Task IRemindable.ReceiveReminder(string reminderName, TickStatus status) => InTurnAsync(ExpireOnReminderAsync);

    private async Task ExpireOnReminderAsync()
    {
        if (poisoned)
        {
            return;
        }

        await ExpireStaleAsync();
        await ExpireDueDealsAsync();
        await ChangeReminderAsync(async () =>
        {
            if (deadlines.Count == 0 && await this.GetReminder(DeadlineReminder) is { } reminder)
            {
                await this.UnregisterReminder(reminder);
                reminding = false;
            }
        });
    }

    /// <summary>Expires the proposed deals whose confirmation deadline the market's clock has passed, together in one
    /// entry: a command arriving after hundreds of deadlines passed writes one entry before its own, not hundreds.</summary>
    /// <remarks>A deal the expiries source again cannot be due at once (its deadline is a day it can still leave on), so
    /// one entry takes every due deal, up to a bound that keeps an entry a small record however long the market slept.</remarks>
    private async Task ExpireDueDealsAsync()
    {
        while (Due() is { Count: > 0 } due)
        {
            await ExpireAsync(number =>
            {
                var now = clock.GetUtcNow();
                return StepsEntry(number, now, [.. due.Select(deal => Change(deal, number, Deal.Expired, now, actor: null, key: null))]);
            });
        }

        List<LiveDeal> Due()
        {
            var now = clock.GetUtcNow();
            return [.. deadlines.TakeWhile(d => d.ConfirmBy <= now).Take(ExpiriesPerEntry).Select(d => liveDeals[d.DealId])];
        }
    }

    /// <summary>Journals a deal's step; one that gives grams back returns them and sources the request again in the same
    /// entry, as does a delivery short of what shipped for the grams that did not arrive (its lot counts them undelivered).</summary>
    private async Task<DealChange> StepAsync(LiveDeal deal, string status, DealSide? actor, string? key, string? traceCode,
        long? deliveredGrams, string? reference)
    {
        var undelivered = status == Deal.Delivered && deliveredGrams is { } received && HoldsLotAndRequest(deal) ? deal.Grams - received : 0;
        var entry = await ChangeAsync(number =>
        {
            var now = clock.GetUtcNow();
            var change = Change(deal, number, status, now, actor, key) with
            {
                TraceCode = traceCode,
                DeliveredGrams = deliveredGrams,
                Reference = reference,
                UndeliveredGrams = undelivered,
            };
            return undelivered > 0 ? ShortDeliveryEntry(number, now, deal, change) : StepsEntry(number, now, [change]);
        });
        return entry.DealChanges![0];
    }

    /// <summary>Whether the market still holds the deal's lot and request, open or closed. A deal that shipped before shipped
    /// deals kept them may come from a snapshot that let both go: it delivers short as it did then, sourcing nothing again.</summary>
    private bool HoldsLotAndRequest(LiveDeal deal) =>
        (lots.ContainsKey(deal.LotId) || closedLots.ContainsKey(deal.LotId))
        && (requests.ContainsKey(deal.RequestId) || closedRequests.ContainsKey(deal.RequestId));

    private static DealChange Change(LiveDeal deal, long number, string status, DateTimeOffset now, DealSide? actor, string? key) =>
        new(deal.Id, number, status, now, deal.LotId, deal.RequestId, deal.CooperativeId, deal.BuyerId, deal.Grams, actor, key);

    /// <summary>The entry of steps of one kind taken together. Each step that gives grams back returns them and sources
    /// its request again at once, in order, so a batch decides as the same steps one entry each would; the lots and
    /// requests they touch then change once each, as the whole entry left them (a record takes one change per entry).</summary>
    private MarketEntry StepsEntry(long number, DateTimeOffset now, IReadOnlyList<DealChange> changes)
    {
        List<Fill> fills = [];
        var givenBack = changes.Where(c => DealLifecycle.GaveGramsBack(c.Status)).ToList();
        foreach (var change in givenBack)
        {
            if (book.ReturnFill(change.LotId, change.RequestId, change.CooperativeId, change.QuantityGrams).ReturnedToRequest)
            {
                fills.AddRange(book.Rematch(change.RequestId, excludedLotId: change.LotId));
            }
        }

        var deals = ToDeals(fills, number);
        List<LotChange> lotChanges = [.. givenBack.Select(c => c.LotId).Concat(deals.Select(d => d.LotId)).Distinct()
            .Select(id => LotAfterReturns(id, number, givenBack.Where(c => c.LotId == id).Sum(c => c.QuantityGrams), deals.Where(d => d.LotId == id)))];
        List<RequestChange> requestChanges = [.. givenBack.Select(c => c.RequestId).Distinct()
            .Select(id => RequestAfterReturns(id, number, givenBack.Where(c => c.RequestId == id).Sum(c => c.QuantityGrams), deals.Where(d => d.RequestId == id)))];
        return new MarketEntry(number, now, KindOf(changes[0].Status), null, null, changes.Count == 1 ? changes[0].DealId : null, 0, deals,
            null, null, lotChanges, requestChanges, DealChanges: changes);
    }

    /// <summary>The entry of a delivery short of what shipped: the grams that did not arrive go back to the request,
    /// which is sourced again at once from other lots; the lot counts them undelivered, not as open.</summary>
    private MarketEntry ShortDeliveryEntry(long number, DateTimeOffset now, LiveDeal deal, DealChange change)
    {
        var lot = UndeliveredLot(deal, number, change.UndeliveredGrams);
        var toRequest = book.ReturnToRequest(deal.RequestId, deal.CooperativeId, change.UndeliveredGrams);
        var deals = ToDeals(toRequest ? book.Rematch(deal.RequestId, excludedLotId: deal.LotId) : [], number);
        return new MarketEntry(number, now, KindOf(change.Status), null, null, deal.Id, 0, deals, null, null, [lot, .. LotChanges(deals, number)],
            [RequestAfterReturns(deal.RequestId, number, change.UndeliveredGrams, deals)], DealChanges: [change]);
    }

    /// <summary>The change of a lot whose shipped grams did not all arrive: they count as undelivered, not as open.</summary>
    private LotChange UndeliveredLot(LiveDeal deal, long number, long undelivered)
    {
        if (lots.TryGetValue(deal.LotId, out var terms))
        {
            var remaining = book.FindLot(deal.LotId)!.RemainingGrams;
            return new LotChange(deal.LotId, number, remaining, LotStatus(remaining), [], terms, UndeliveredGrams: undelivered);
        }

        var closed = closedLots[deal.LotId];
        return new LotChange(deal.LotId, number, 0, closed.Status, [], closed.Terms, UndeliveredGrams: undelivered);
    }

    /// <summary>A lot after grams came back to it: an open one (or sold out, still in the book) counts them as unsold
    /// again; a closed one (withdrawn, expired) gives them to its cooperative.</summary>
    private LotChange LotAfterReturns(string lotId, long number, long returned, IEnumerable<Deal> made)
    {
        if (book.FindLot(lotId) is { } open)
        {
            return new LotChange(lotId, number, open.RemainingGrams, LotStatus(open.RemainingGrams), Ids(made), lots[lotId]);
        }

        var closed = closedLots[lotId];
        return new LotChange(lotId, number, 0, closed.Status, [], closed.Terms, ReturnedGrams: returned);
    }

    /// <summary>A request after grams went back from it: an open one waits for them again (and may have been sourced
    /// again already); a closed one (cancelled, expired) just got less.</summary>
    private RequestChange RequestAfterReturns(string requestId, long number, long returned, IEnumerable<Deal> made)
    {
        if (book.FindRequest(requestId) is { } open)
        {
            var terms = requests[requestId];
            var filled = terms.QuantityGrams - open.RemainingGrams;
            return new RequestChange(requestId, number, filled, open.RemainingGrams, RequestStatus(filled, open.RemainingGrams), Ids(made), terms);
        }

        var closed = closedRequests[requestId];
        return new RequestChange(requestId, number, closed.FilledGrams - returned, 0, closed.Status, [], closed.Terms);
    }

    /// <summary>Keeps the market's view of deals in progress up to date, live or replayed: what the entry made and
    /// what its steps changed. Returns the lots and requests whose last returnable deal just became final.</summary>
    private (List<string> Lots, List<string> Requests) SettleDeals(MarketEntry entry)
    {
        foreach (var deal in entry.Deals)
        {
            var live = new LiveDeal(deal.Id, deal.LotId, deal.RequestId, deal.CooperativeId, deal.BuyerId, deal.QuantityGrams, deal.Status,
                deal.ConfirmBy ?? entry.At + confirmWithin, deal.BuyerVerified, Entry: entry.Number);
            liveDeals[deal.Id] = live;
            if (live.Status == Deal.Proposed)
            {
                deadlines.Add((live.ConfirmBy, live.Id));
            }

            Count(returnableByLot, live.LotId, +1);
            Count(returnableByRequest, live.RequestId, +1);
            Hold(live, +1);
        }

        List<string> lotsReleased = [];
        List<string> requestsReleased = [];
        foreach (var change in entry.DealChanges ?? [])
        {
            // A delivered deal's settlement: the market let the deal go at its delivery.
            if (!liveDeals.TryGetValue(change.DealId, out var live))
            {
                continue;
            }
            if (live.Status == Deal.Proposed && change.Status != Deal.Proposed)
            {
                deadlines.Remove((live.ConfirmBy, live.Id));
            }

            if (DealLifecycle.MayGiveGramsBack(live.Status) && !DealLifecycle.MayGiveGramsBack(change.Status))
            {
                if (Count(returnableByLot, live.LotId, -1) == 0)
                {
                    lotsReleased.Add(live.LotId);
                }

                if (Count(returnableByRequest, live.RequestId, -1) == 0)
                {
                    requestsReleased.Add(live.RequestId);
                }
            }

            Hold(live, -1);
            if (DealLifecycle.IsFinal(change.Status) || change.Status == Deal.Delivered)
            {
                // A delivered deal can move no gram again (what it did not bring was sourced again at its delivery), so
                // the market forgets it as it does a final one; its settlement is checked against its record.
                liveDeals.Remove(live.Id);
            }
            else
            {
                // A shrink keeps the deal's status, and its last step for a retry of that step.
                var next = live with
                {
                    Status = change.Status,
                    Grams = change.QuantityGrams,
                    Last = change.ShortGrams > 0 ? live.Last : change,
                };
                liveDeals[live.Id] = next;
                Hold(next, +1);
            }
        }

        return (lotsReleased, requestsReleased);
    }

    /// <summary>Takes a lot whose kilograms are all gone out of the book, unless a deal in progress may give some back:
    /// a sold-out lot then stays in the book at zero (out of the price levels and the summary, at its arrival
    /// sequence), and a withdrawn or expired one is kept as a <see cref="ClosedLot"/>.</summary>
    private void CloseLot(string lotId, string status, LotTerms terms)
    {
        var returnable = returnableByLot.ContainsKey(lotId);
        if (status == LotView.Sold && returnable)
        {
            return;
        }

        book.WithdrawLot(lotId);
        ForgetLot(lotId);
        if (returnable)
        {
            closedLots[lotId] = new ClosedLot(terms, status);
        }
        else
        {
            closedLots.Remove(lotId);
        }
    }

    /// <summary>As <see cref="CloseLot"/>, for a request with nothing left to fill.</summary>
    private void CloseRequest(string requestId, string status, RequestTerms terms, long filledGrams)
    {
        var returnable = returnableByRequest.ContainsKey(requestId);
        if (status == RequestView.Filled && returnable)
        {
            return;
        }

        book.CancelRequest(requestId);
        requests.Remove(requestId);
        if (returnable)
        {
            closedRequests[requestId] = new ClosedRequest(terms, status, filledGrams);
        }
        else
        {
            closedRequests.Remove(requestId);
        }
    }

    /// <summary>Forgets a lot no deal can give grams back to any more, unless it is open.</summary>
    private void ReleaseLot(string lotId)
    {
        closedLots.Remove(lotId);
        if (book.FindLot(lotId) is { RemainingGrams: 0 })
        {
            book.WithdrawLot(lotId);
            ForgetLot(lotId);
        }
    }

    private void ForgetLot(string lotId)
    {
        lots.Remove(lotId);
        lastShortfalls.Remove(lotId);
    }

    private void ReleaseRequest(string requestId)
    {
        closedRequests.Remove(requestId);
        if (book.FindRequest(requestId) is { RemainingGrams: 0 })
        {
            book.CancelRequest(requestId);
            requests.Remove(requestId);
        }
    }

    private void RestoreDeals(SnapshotPage page)
    {
        // A snapshot written before delivered deals were let go may still hold some: they are not kept.
        foreach (var deal in page.Deals.Where(d => d.Status != Deal.Delivered))
        {
            liveDeals[deal.Id] = deal;
            if (deal.Status == Deal.Proposed)
            {
                deadlines.Add((deal.ConfirmBy, deal.Id));
            }

            if (DealLifecycle.MayGiveGramsBack(deal.Status))
            {
                Count(returnableByLot, deal.LotId, +1);
                Count(returnableByRequest, deal.RequestId, +1);
                Hold(deal, +1);
            }
        }

        foreach (var lot in page.ClosedLots)
        {
            closedLots[lot.Terms.Id] = lot;
        }

        foreach (var request in page.ClosedRequests)
        {
            closedRequests[request.Terms.Id] = request;
        }
    }

    /// <summary>Replays the book side of a step: the grams a deal gave back to its lot and request, or to its request only
    /// (a shortfall, a short delivery); the deals it made are replayed after.</summary>
    private void ReplayDealChanges(MarketEntry entry)
    {
        foreach (var change in entry.DealChanges ?? [])
        {
            if (DealLifecycle.GaveGramsBack(change.Status))
            {
                book.ReturnFill(change.LotId, change.RequestId, change.CooperativeId, change.QuantityGrams);
            }
            else if (change.ShortGrams + change.UndeliveredGrams > 0)
            {
                book.ReturnToRequest(change.RequestId, change.CooperativeId, change.ShortGrams + change.UndeliveredGrams);
            }
        }
    }

    /// <summary>Makes sure a reminder will wake the market for its deadlines, whichever silo it lives on next.</summary>
    private async Task EnsureDeadlineReminderAsync()
    {
        if (reminding || deadlines.Count == 0)
        {
            return;
        }

        try
        {
            await ChangeReminderAsync(async () =>
            {
                if (!reminding && deadlines.Count > 0)
                {
                    await this.RegisterOrUpdateReminder(DeadlineReminder, DeadlineReminderPeriod, DeadlineReminderPeriod);
                    reminding = true;
                }
            });
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The deals stand; the timer expires them while the market is active and tries the reminder again.
            LogReminderFailed(logger, e, book.Product);
        }
    }

    private async Task ChangeReminderAsync(Func<Task> change)
    {
        var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var before = reminderChanged;
        reminderChanged = changed.Task;
        await before;
        try
        {
            await change();
        }
        finally
        {
            changed.SetResult();
        }
    }

    private static MarketEntryKind KindOf(string status) => status switch
    {
        Deal.Confirmed => MarketEntryKind.DealConfirmed,
        Deal.Rejected => MarketEntryKind.DealRejected,
        Deal.Shipped => MarketEntryKind.DealShipped,
        Deal.Delivered => MarketEntryKind.DealDelivered,
        Deal.Settled => MarketEntryKind.DealSettled,
        Deal.Cancelled => MarketEntryKind.DealCancelled,
        Deal.Expired => MarketEntryKind.DealExpired,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "No step leads to this status."),
    };

    private static int Count(Dictionary<string, int> counts, string id, int by)
    {
        var count = counts.GetValueOrDefault(id) + by;
        if (count == 0)
        {
            counts.Remove(id);
        }
        else
        {
            counts[id] = count;
        }

        return count;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Registering the deadline reminder of market {Product} failed; the timer tries again")]
    private static partial void LogReminderFailed(ILogger logger, Exception exception, string product);
}
