using System.Diagnostics;
using CoopMarket.Grains.Catalog;
using CoopMarket.Grains.Participants;
using CoopMarket.Grains.Telemetry;
using CoopMarket.Matching;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Storage;

namespace CoopMarket.Grains.Market;

/// <summary>The market of one product: it owns the book, decides every match, and journals each decision before
/// anyone hears of it. Lot, request, deal and participant records are projections it keeps up to date.</summary>
/// <remarks><para>It holds the open book and the deals in progress only: a lot or request that closes (sold, filled, withdrawn,
/// cancelled, expired) leaves memory and the next snapshot as soon as none of its deals can give grams back, so a command
/// and a restart cost the same late in the season as early.</para>
/// <para>It is reentrant so that commands can share a journal write (see MarketGrain.GroupCommit.cs); its own turn
/// still lets one command at a time read and change the book.</para></remarks>
[Reentrant]
internal sealed partial class MarketGrain(
    [FromKeyedServices("Default")] IGrainStorage storage,
    [FromKeyedServices(MarketTime.ServiceKey)] TimeProvider clock,
    IOptions<MarketOptions> options,
    ILogger<MarketGrain> logger) : Grain, IMarketGrain
{
    private const int SnapshotEvery = 200;
    private const int RecentDealsKept = 20;

    // Receipts answer a retry that reaches the market before its record holds the first answer; the record's claim
    // answers every retry after that. So the market keeps the receipts its projections have not delivered, and the
    // newest few for retries that come straight to it: a number, not a time, so a busy day cannot swell the snapshot.
    private const int ReceiptsKept = SnapshotEvery;

    // Terms of the open lots and requests, as posted: the book keeps the engine's form, answers need the wire form.
    private readonly Dictionary<string, LotTerms> lots = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RequestTerms> requests = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RememberedReceipt> receipts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, LotShortfall> lastShortfalls = new(StringComparer.Ordinal);
    private readonly Queue<TradePrint> recentDeals = new();
    private readonly MarketTally tally = new();
    private readonly SnapshotPages snapshotPages = new();
    private Book book = null!;
    private MarketJournal journal = null!;
    private MarketProjection projection = null!;
    private long nextEntry = 1;
    private long snapshotThrough;
    private DateOnly? sweptOn;
    private bool poisoned;
    private readonly TimeSpan confirmWithin = options.Value.ConfirmWithin;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var product = this.GetPrimaryKeyString();
        var loading = Stopwatch.GetTimestamp();
        var info = await GrainFactory.GetGrain<IProductGrain>(product).GetAsync()
            ?? throw new InvalidOperationException($"There is no market for unknown product '{product}'.");
        book = new Book(product, info.ShelfLifeDays);
        journal = new MarketJournal(storage, product);
        projection = new MarketProjection(GrainFactory, logger, product);

        var stored = await journal.ReadSnapshotAsync();
        long projectedThrough = 0;
        if (stored is ({ } snapshot, { } pages))
        {
            Restore(snapshot, pages);
            // Entries the snapshot holds but whose projections had not all landed: carry them again.
            projection.StartAfter(snapshot.ProjectedThrough);
            var carried = await journal.ReadRangeAsync(snapshot.ProjectedThrough + 1, snapshot.ThroughEntry);
            if (carried.Count < snapshot.ThroughEntry - snapshot.ProjectedThrough)
            {
                throw new InvalidOperationException($"Journal entry {snapshot.ProjectedThrough + 1 + carried.Count} of market {product} is missing.");
            }

            carried.ForEach(projection.Enqueue);
        }
        else if (stored is ({ } unreadable, null))
        {
            // A page it names is gone: the journal alone rebuilds the market, and what the snapshot says was projected
            // still was.
            LogSnapshotUnreadable(logger, product, unreadable.ThroughEntry);
            projectedThrough = unreadable.ProjectedThrough;
            projection.StartAfter(projectedThrough);
        }

        foreach (var entry in await journal.ReadFromAsync(nextEntry))
        {
            Replay(entry);
            if (entry.Number > projectedThrough)
            {
                projection.Enqueue(entry);
            }

            nextEntry++;
        }

        var read = Stopwatch.GetElapsedTime(loading);
        var reprojected = projection.Lag;
        await projection.DrainAsync();
        var projected = Stopwatch.GetElapsedTime(loading) - read;
        committedThrough = nextEntry - 1;
        LogLoaded(logger, product, snapshotThrough, nextEntry - 1 - snapshotThrough, reprojected, read.TotalMilliseconds,
            projected.TotalMilliseconds, projection.Lag);
        this.RegisterGrainTimer(static (market, _) => market.InTurnAsync(market.OnTimerAsync), this,
            new GrainTimerCreationOptions(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5)) { Interleave = false });
    }

    Task<CommandResult<Receipt>> IMarketGrain.PostLotAsync(LotTerms lot, string bodyHash, bool retried) =>
        InTurnAsync(() => PostLotAsync(lot, bodyHash, retried));

    /// <summary>Leaves the turn once decided: the next command decides while this one's entry is written, and may share its
    /// write.</summary>
    private async Task<CommandResult<Receipt>> PostLotAsync(LotTerms lot, string bodyHash, bool retried)
    {
        if (await RememberedAsync(lot.Id, bodyHash, retried ? GrainFactory.GetGrain<ISupplyLotGrain>(lot.Id).ClaimAsync : null) is { } retry)
        {
            return retry;
        }

        await AskRulesAsync(lot.CooperativeId);
        await ExpireStaleAsync();
        await ExpireDueDealsAsync();
        var entry = Decide(number =>
        {
            var outcome = book.PostLot(lot.ToSupplyLot());
            var deals = ToDeals(outcome.Fills, number);
            var receipt = new Receipt(lot.Id, LotStatus(outcome.RemainingGrams), outcome.RemainingGrams,
                lot.QuantityGrams - outcome.RemainingGrams, deals);
            lots[lot.Id] = lot;
            // An all-or-none request the new lot completes takes from other lots too: they change in this entry as well.
            var posted = new LotChange(lot.Id, number, outcome.RemainingGrams, receipt.Status, Ids(deals.Where(d => d.LotId == lot.Id)), lot, receipt, bodyHash);
            return new MarketEntry(number, clock.GetUtcNow(), MarketEntryKind.LotPosted, lot, null, null, outcome.Sequence,
                deals, bodyHash, receipt, [posted, .. LotChanges(deals.Where(d => d.LotId != lot.Id), number)], RequestChanges(deals, number));
        });
        return new(CommandOutcome.Done, entry.Receipt);
    }

    Task<CommandResult<Receipt>> IMarketGrain.PlaceRequestAsync(RequestTerms request, string bodyHash, bool retried) =>
        InTurnAsync(() => PlaceRequestAsync(request, bodyHash, retried));

    /// <summary>Leaves the turn once decided, as <see cref="PostLotAsync"/>.</summary>
    private async Task<CommandResult<Receipt>> PlaceRequestAsync(RequestTerms request, string bodyHash, bool retried)
    {
        if (await RememberedAsync(request.Id, bodyHash, retried ? GrainFactory.GetGrain<IPurchaseRequestGrain>(request.Id).ClaimAsync : null) is { } retry)
        {
            if (retry.Outcome == CommandOutcome.Replayed && request.AllowanceScope is { } scope)
            {
                // A retry whose claim ran before the request's record heard of the placement has reserved its grams
                // again, perhaps after deliveries made them final; only the market knows what is not final yet.
                Ready();
                await GrainFactory.GetGrain<IBuyerAllowanceGrain>(scope).ReleaseAsync([new RequestHold(request.Id, Held(request.Id))]);
            }

            return retry;
        }

        await ExpireStaleAsync();
        await ExpireDueDealsAsync();
        var entry = Decide(number =>
        {
            var outcome = book.PlaceRequest(request.ToPurchaseRequest());
            requests[request.Id] = request;
            var deals = ToDeals(outcome.Fills, number);
            var filled = request.QuantityGrams - outcome.RemainingGrams;
            var receipt = new Receipt(request.Id, RequestStatus(filled, outcome.RemainingGrams), outcome.RemainingGrams, filled, deals);
            return new MarketEntry(number, clock.GetUtcNow(), MarketEntryKind.RequestPlaced, null, request, null, outcome.Sequence,
                deals, bodyHash, receipt, LotChanges(deals, number),
                [new RequestChange(request.Id, number, filled, outcome.RemainingGrams, receipt.Status, Ids(deals), request, receipt, bodyHash)]);
        });
        return new(CommandOutcome.Done, entry.Receipt);
    }

    Task<LotView?> IMarketGrain.WithdrawLotAsync(string lotId) => InTurnAsync(() => WithdrawLotAsync(lotId));

    private async Task<LotView?> WithdrawLotAsync(string lotId)
    {
        if (!lots.TryGetValue(lotId, out var terms) || Ready().FindLot(lotId) is not { RemainingGrams: > 0 })
        {
            return null;
        }

        var unsold = book.FindLot(lotId)!.RemainingGrams;
        var number = (await ChangeAsync(number => new MarketEntry(number, clock.GetUtcNow(), MarketEntryKind.LotWithdrawn, null, null, lotId, 0,
            [], null, null, [new LotChange(lotId, number, 0, LotView.Withdrawn, [], terms, ReturnedGrams: unsold)], []))).Number;
        return await GrainFactory.GetGrain<ISupplyLotGrain>(lotId).GetAsync() is { } view
            ? view.Version >= number ? view : view with { RemainingGrams = 0, Status = LotView.Withdrawn, Version = number, ReturnedGrams = view.ReturnedGrams + unsold }
            : new LotView(terms, 0, LotView.Withdrawn, 0, number, unsold);
    }

    Task<RequestView?> IMarketGrain.CancelRequestAsync(string requestId) => InTurnAsync(() => CancelRequestAsync(requestId));

    private async Task<RequestView?> CancelRequestAsync(string requestId)
    {
        if (!requests.TryGetValue(requestId, out var terms) || Ready().FindRequest(requestId) is not { RemainingGrams: > 0 } open)
        {
            return null;
        }

        var filled = terms.QuantityGrams - open.RemainingGrams;
        var number = (await ChangeAsync(number => new MarketEntry(number, clock.GetUtcNow(), MarketEntryKind.RequestCancelled, null, null,
            requestId, 0, [], null, null, [], [new RequestChange(requestId, number, filled, 0, RequestView.Cancelled, [], terms)]))).Number;
        return await GrainFactory.GetGrain<IPurchaseRequestGrain>(requestId).GetAsync() is { } view
            ? view with { FilledGrams = filled, RemainingGrams = 0, Status = RequestView.Cancelled, Version = Math.Max(view.Version, number) }
            : new RequestView(terms, filled, 0, RequestView.Cancelled, 0, number);
    }

    Task<bool> IMarketGrain.KnowsRequestAsync(string requestId)
    {
        // It interleaves with a change: a poisoned activation's memory may hold what the journal never will, so it refuses.
        Ready();
        // A closed request whose deals may still give grams back holds them, long after its receipt has gone. While
        // entries are on their way to the journal, memory is ahead of it: a request they place is known already (the
        // allowance keeps that reservation a while longer, which the cap allows), and a request they let go of is known
        // until their write lands, since if the write fails the journal still holds it, and the allowance must not let it go.
        return Task.FromResult(requests.ContainsKey(requestId) || closedRequests.ContainsKey(requestId) || receipts.ContainsKey(requestId)
            || InFlight(requestId));
    }

    // In the turn, and answered once what it shows has landed.
    Task<MarketSummary> IMarketGrain.GetSummaryAsync() => InTurnAsync(() => Task.FromResult(tally.Summary(book.Product, [.. recentDeals.Reverse()])));

    // In the turn, so no matching sees the shelf life change half way. Nothing to store: the product's record holds it, and
    // an activation reads it from there.
    Task IMarketGrain.ProductChangedAsync(Product product) => InTurnAsync(() =>
    {
        book.ChangeShelfLife(product.ShelfLifeDays);
        return Task.CompletedTask;
    });

    private async Task OnTimerAsync()
    {
        await projection.DrainAsync();
        if (!poisoned)
        {
            await ExpireStaleAsync();
            await ExpireDueDealsAsync();
            await EnsureDeadlineReminderAsync();
        }
    }

    /// <summary>Once a day (the first command or timer tick of the market's day) takes off the market what today has
    /// overtaken: lots that cannot arrive fresh anywhere, requests whose window has closed.</summary>
    /// <remarks>However many a day overtakes, each entry carries at most <see cref="ExpiriesPerEntry"/> of them, so an entry
    /// stays a small record; the sweep writes them all, one entry after another, before the command that woke it, so
    /// none waits for the next day. A write that fails ends the sweep with the activation, and the next one sweeps again
    /// what the journal has not expired.</remarks>
    private async Task ExpireStaleAsync()
    {
        var today = clock.Today();
        Ready().Today = today;
        if (sweptOn == today)
        {
            return;
        }

        // The book is scanned once; expiring only takes lots and requests off it, so what was stale stays so.
        var stale = book.Stale(today);
        for (var taken = 0; taken < stale.LotIds.Count + stale.RequestIds.Count; taken += ExpiriesPerEntry)
        {
            List<string> lotIds = [.. stale.LotIds.Skip(taken).Take(ExpiriesPerEntry)];
            List<string> requestIds = [.. stale.RequestIds.Skip(Math.Max(0, taken - stale.LotIds.Count)).Take(ExpiriesPerEntry - lotIds.Count)];
            await ExpireAsync(number =>
            {
                var lotChanges = lotIds.Select(id => new LotChange(id, number, 0, LotView.Expired, [], lots[id],
                    ReturnedGrams: book.FindLot(id)!.RemainingGrams)).ToList();
                var requestChanges = requestIds.Select(id =>
                {
                    var terms = requests[id];
                    var filled = terms.QuantityGrams - book.FindRequest(id)!.RemainingGrams;
                    return new RequestChange(id, number, filled, 0, RequestView.Expired, [], terms);
                }).ToList();
                return new MarketEntry(number, clock.GetUtcNow(), MarketEntryKind.Expired, null, null, null, 0, [], null, null,
                    lotChanges, requestChanges, new StaleIds(lotIds, requestIds));
            });
        }

        sweptOn = today;
    }

    /// <summary>A change the market's clock makes before the command that woke it (or on its own tick). When it cannot be
    /// journalled the command has not run at all: its caller hears that the market is reloading and tries again, not the
    /// storage's own error, which a gateway could not tell from a failure of the command.</summary>
    private async Task ExpireAsync(Func<long, MarketEntry> decide)
    {
        try
        {
            await ChangeAsync(decide);
        }
        catch (Exception e) when (poisoned && e is not MarketReloadingException)
        {
            throw new MarketReloadingException($"Market {book.Product} is reloading: an expiry could not be journalled; try again.", e);
        }
    }

    private async Task AppendAsync(MarketEntry entry)
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
            throw;
        }
    }

    /// <summary>What every entry does beyond the book's own matching, live or replayed: the deals in progress follow
    /// what it made and changed, the summary follows each lot and request it changed, and whatever it closed leaves the
    /// book, kept compact only while a deal in progress may give it grams back.</summary>
    private void Settle(MarketEntry entry)
    {
        Paginate(entry);
        SettleAutoConfirm(entry);
        var (lotsReleased, requestsReleased) = SettleDeals(entry);
        foreach (var change in entry.LotChanges)
        {
            if (change.Shortfall is { } shortfall)
            {
                lastShortfalls[change.LotId] = shortfall;
            }

            tally.Lot(change.Terms, change.RemainingGrams);
            if (change.RemainingGrams == 0)
            {
                CloseLot(change.LotId, change.Status, change.Terms);
            }
        }

        foreach (var change in entry.RequestChanges)
        {
            tally.Request(change.Terms, change.RemainingGrams);
            if (change.RemainingGrams == 0)
            {
                CloseRequest(change.RequestId, change.Status, change.Terms, change.FilledGrams);
            }
        }

        foreach (var lotId in lotsReleased.Where(id => !returnableByLot.ContainsKey(id)))
        {
            ReleaseLot(lotId);
        }

        foreach (var requestId in requestsReleased.Where(id => !returnableByRequest.ContainsKey(id)))
        {
            ReleaseRequest(requestId);
        }
    }

    private Book Ready() => poisoned
        ? throw new MarketReloadingException()
        : book;

    /// <summary>The answer to a command for an id the market has seen, or null for a new one.</summary>
    /// <param name="record">For a retry: asks the record, which holds the first answer of every command whose receipt
    /// the market let go (it lets go only of receipts its projections delivered).</param>
    private async Task<CommandResult<Receipt>?> RememberedAsync(string id, string bodyHash, Func<string, Task<Claim>>? record)
    {
        // A poisoned activation's ids and receipts may include what was never stored: it answers no retry.
        Ready();
        if (receipts.TryGetValue(id, out var remembered))
        {
            // Its entry may still be on its way to the journal: the retry hears of it only once it has landed, and is
            // never decided a second time.
            await CommittedAsync(remembered.Entry);
            return remembered.BodyHash == bodyHash
                ? new(CommandOutcome.Replayed, remembered.Receipt)
                : new(CommandOutcome.KeyReused, null);
        }

        if (record is not null && await record(bodyHash) is { Outcome: not CommandOutcome.Done } answer)
        {
            return new(answer.Outcome, answer.Receipt);
        }

        return lots.ContainsKey(id) || requests.ContainsKey(id) ? new(CommandOutcome.KeyReused, null) : null;
    }

    private void Remember(MarketEntry entry)
    {
        if (entry.Receipt is { } receipt && entry.BodyHash is { } hash)
        {
            receipts[receipt.Id] = new RememberedReceipt(hash, receipt, entry.Number);
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
        return [.. fills.Select((fill, i) => ByRules(new Deal($"deal-{book.Product}-{entryNumber}-{i + 1}", fill.LotId, fill.RequestId,
            fill.CooperativeId, fill.BuyerId, fill.Product, fill.QuantityGrams, fill.PriceVndPerKg, fill.TransportVndPerKg,
            Deal.Proposed, fill.Reason.ToDealReason(), fill.HarvestOn, fill.DeliverOn, now, requests[fill.RequestId].AllowanceScope is null)
        {
            ConfirmBy = Min(now + confirmWithin, LastDeparture(fill)),
            StatusAt = now,
        }))];
    }

    /// <summary>The end of the market's day on which the goods must leave to arrive on the deal's delivery day: a deal
    /// confirmed later would promise a delivery that can no longer happen, so its confirmation deadline is this at the
    /// latest (and, as every deadline, it expires at that very instant).</summary>
    private static DateTimeOffset LastDeparture(Fill fill) =>
        new(fill.DeliverOn.AddDays(1 - fill.TransitDays).ToDateTime(TimeOnly.MinValue), MarketTime.VietnamOffset);

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a <= b ? a : b;

    private List<LotChange> LotChanges(IEnumerable<Deal> deals, long number) =>
        [.. deals.GroupBy(d => d.LotId).Select(g =>
        {
            var remaining = book.FindLot(g.Key)!.RemainingGrams;
            return new LotChange(g.Key, number, remaining, LotStatus(remaining), Ids(g), lots[g.Key]);
        })];

    private List<RequestChange> RequestChanges(IEnumerable<Deal> deals, long number) =>
        [.. deals.GroupBy(d => d.RequestId).Select(g =>
        {
            var remaining = book.FindRequest(g.Key)!.RemainingGrams;
            var terms = requests[g.Key];
            var filled = terms.QuantityGrams - remaining;
            return new RequestChange(g.Key, number, filled, remaining, RequestStatus(filled, remaining), Ids(g), terms);
        })];

    private static List<string> Ids(IEnumerable<Deal> deals) => [.. deals.Select(d => d.Id)];

    private static string LotStatus(long remaining) => remaining > 0 ? LotView.Open : LotView.Sold;

    private static string RequestStatus(long filled, long remaining) =>
        remaining == 0 ? RequestView.Filled : filled > 0 ? RequestView.Partial : RequestView.Open;
}
