using CoopMarket.Grains.Notifications;
using CoopMarket.Grains.Participants;
using CoopMarket.Grains.Telemetry;
using Microsoft.Extensions.Logging;

namespace CoopMarket.Grains.Market;

/// <summary>Carries journal entries to the records people read — deals, lots, requests, participants' indexes,
/// buyers' allowances and participants' inboxes (<see cref="EntryNotices"/>). Each record gets its entries in journal order; a record whose update fails holds back only
/// its own later updates, never another record's, and is retried at the next drain.</summary>
/// <remarks>Every update is idempotent (records keep the entry number they are at), so an entry may be carried again,
/// as happens after a restart for every entry after <see cref="ProjectedThrough"/>.</remarks>
internal sealed partial class MarketProjection(IGrainFactory grains, ILogger logger, string product)
{
    /// <summary>How long the market's turn waits for one record. A record answers in milliseconds, or fails within
    /// Redis's 5 s when storage is down; past this its update counts as failed and is carried again at the next drain
    /// (updates are idempotent, so a late one that lands after all changes nothing). Without it, a call whose answer
    /// was lost with a dropped connection, as happens while a cluster settles after a restart, held the market's turn
    /// for the whole response timeout, and every command of the product behind it, again at each drain that retried it:
    /// CI saw post-lots wait 30 s (three drains) after a crash of the whole cluster.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(3);

    /// <summary>The most entries one call carries to one record: a market that loads after an outage with thousands of
    /// entries for one lot sends them in calls of this many, not in one message of unbounded size.</summary>
    private const int MaxUpdatesPerCall = 64;

    private readonly List<Pending> pending = [];

    // One drain at a time: the journal's writer drains after each write while a command or the timer may drain too, and
    // two drains side by side could carry a record's later entry before its earlier one. Each drain starts after the last.
    private Task draining = Task.CompletedTask;
    private long lastEnqueued;

    /// <summary>Every entry up to this one has reached all its records.</summary>
    public long ProjectedThrough => pending.Count > 0 ? pending[0].Entry - 1 : lastEnqueued;

    /// <summary>How many entries still wait for some record: the projection lag.</summary>
    public int Lag => pending.Count;

    /// <summary>Whether every update of entry <paramref name="number"/> has been made.</summary>
    public bool HasProjected(long number) => number <= ProjectedThrough || pending.All(p => p.Entry != number);

    /// <summary>Starts from an entry a snapshot says was projected, so entries enqueued next count from there.</summary>
    public void StartAfter(long entry) => lastEnqueued = Math.Max(lastEnqueued, entry);

    public void Enqueue(MarketEntry entry)
    {
        var updates = Updates(entry);
        if (updates.Count > 0)
        {
            pending.Add(new Pending(entry.Number, updates));
        }

        lastEnqueued = Math.Max(lastEnqueued, entry.Number);
    }

    /// <summary>Carries what is pending. Each record gets its updates in journal order, many entries per call (see
    /// <see cref="CarryAsync"/>), and stops at its first failed call (its later updates wait for it); records run side by
    /// side, so a drain costs its longest record's chain of calls, not one round trip per entry. While storage is down
    /// that is one timeout, however many entries wait: a market that loads after an outage with a snapshot's worth of
    /// entries to carry again, or a timer tick, no longer holds every call for a timeout per entry.</summary>
    public Task DrainAsync()
    {
        draining = DrainAfterAsync(draining);
        return draining;
    }

    private async Task DrainAfterAsync(Task before)
    {
        // Only its end matters here: the drain before answers its own caller for how it went.
        await Task.WhenAny(before);

        var chains = new Dictionary<string, List<(Pending Entry, Update Update)>>(StringComparer.Ordinal);
        foreach (var entry in pending)
        {
            foreach (var update in entry.Updates)
            {
                if (!chains.TryGetValue(update.Record, out var chain))
                {
                    chains[update.Record] = chain = [];
                }

                chain.Add((entry, update));
            }
        }

        foreach (var (entry, update) in (await Task.WhenAll(chains.Values.Select(CarryAsync))).SelectMany(done => done))
        {
            entry.Updates.Remove(update);
        }

        pending.RemoveAll(p => p.Updates.Count == 0);
        MarketInstruments.ProjectionBacklog(product, Lag);
    }

    /// <summary>One record's updates in order, in calls of at most <see cref="MaxUpdatesPerCall"/>, up to the first call
    /// that fails; returns those made.</summary>
    /// <remarks>One call, and one write of the record, carries many entries: the entries of a shared journal write often
    /// all touch one lot, one cooperative's index and inbox, and a call and a write each would cost that record as many
    /// round trips as the write had entries. Each update is one entry's part of the record, so an entry's part is never
    /// split between calls (an inbox dedupes by entry). A call the record refused left it as it was (it stores, then
    /// keeps), so the whole call is carried again at the next drain, and what a lost reply let land is skipped then.</remarks>
    private async Task<List<(Pending Entry, Update Update)>> CarryAsync(List<(Pending Entry, Update Update)> chain)
    {
        var made = new List<(Pending, Update)>();
        foreach (var batch in chain.Chunk(MaxUpdatesPerCall))
        {
            if (!await TryAsync(batch))
            {
                break;
            }

            made.AddRange(batch);
        }

        return made;
    }

    private async Task<bool> TryAsync((Pending Entry, Update Update)[] batch)
    {
        var record = batch[0].Update.Record;
        try
        {
            await batch[0].Update.Carry([.. batch.Select(step => step.Update.Part)]).WaitAsync(Patience);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogProjectionFailed(logger, e, product, batch[0].Entry.Entry, batch[^1].Entry.Entry, record);
            MarketInstruments.ProjectionFailed(product, record[..record.IndexOf('/', StringComparison.Ordinal)]);
            return false;
        }
    }

    private List<Update> Updates(MarketEntry entry)
    {
        var updates = new List<Update>();

        // A deal's part of an entry: the deal if the entry made it, then the steps the entry took on it.
        var dealParts = new Dictionary<string, (Deal? Made, List<DealChange> Steps)>(StringComparer.Ordinal);
        foreach (var deal in entry.Deals)
        {
            dealParts[deal.Id] = (deal, []);
        }

        foreach (var change in entry.DealChanges ?? [])
        {
            if (!dealParts.TryGetValue(change.DealId, out var part))
            {
                dealParts[change.DealId] = part = (null, []);
            }

            part.Steps.Add(change);
        }

        foreach (var (dealId, part) in dealParts)
        {
            updates.Add(Update.Of<(Deal? Made, List<DealChange> Steps)>($"deal/{dealId}", part, parts =>
                grains.GetGrain<IDealGrain>(dealId).RecordAsync(parts.Select(p => p.Made).FirstOrDefault(d => d is not null), [.. parts.SelectMany(p => p.Steps)])));
        }

        foreach (var change in entry.LotChanges)
        {
            updates.Add(Update.Of($"lot/{change.LotId}", change, changes => grains.GetGrain<ISupplyLotGrain>(change.LotId).ApplyAsync(changes)));
        }

        foreach (var change in entry.RequestChanges)
        {
            updates.Add(Update.Of($"request/{change.RequestId}", change, changes => grains.GetGrain<IPurchaseRequestGrain>(change.RequestId).ApplyAsync(changes)));
        }

        foreach (var cooperative in (entry.Lot is { } posted ? new[] { posted.CooperativeId } : [])
                     .Concat(entry.Deals.Select(d => d.CooperativeId)).Distinct())
        {
            string[] lots = entry.Lot is { } lot && lot.CooperativeId == cooperative ? [lot.Id] : [];
            var deals = entry.Deals.Where(d => d.CooperativeId == cooperative).Select(d => d.Id).ToList();
            updates.Add(Update.Of($"cooperative/{cooperative}", new IndexedEntry(entry.Number, lots, deals), entries =>
                grains.GetGrain<ICooperativeGrain>(cooperative).IndexAsync(product, entries)));
        }

        foreach (var buyer in (entry.Request is { } placed ? new[] { placed.BuyerId } : [])
                     .Concat(entry.Deals.Select(d => d.BuyerId)).Distinct())
        {
            string[] requests = entry.Request is { } request && request.BuyerId == buyer ? [request.Id] : [];
            var deals = entry.Deals.Where(d => d.BuyerId == buyer).Select(d => d.Id).ToList();
            updates.Add(Update.Of($"buyer/{buyer}", new IndexedEntry(entry.Number, requests, deals), entries =>
                grains.GetGrain<IBuyerGrain>(buyer).IndexAsync(product, entries)));
        }

        // An entry journalled before entries held their allowances lowers each request it changed to what is unfilled.
        var holds = entry.Holds ?? [.. entry.RequestChanges.Where(c => c.Terms.AllowanceScope is not null)
            .Select(c => new AllowanceHold(c.Terms.AllowanceScope!, c.RequestId, c.RemainingGrams))];
        foreach (var scope in holds.GroupBy(h => h.Scope))
        {
            IReadOnlyList<RequestHold> held = [.. scope.Select(h => new RequestHold(h.RequestId, h.Grams))];
            updates.Add(Update.Of($"allowance/{scope.Key}", held, entries =>
                grains.GetGrain<IBuyerAllowanceGrain>(scope.Key).ReleaseAsync([.. entries.SelectMany(h => h)])));
        }

        // One entry's notices for an inbox are one part, never split between calls: the inbox dedupes by entry.
        foreach (var (inbox, notices) in EntryNotices.For(product, entry))
        {
            updates.Add(Update.Of($"inbox/{inbox}", notices, entries =>
                grains.GetGrain<IInboxGrain>(inbox).DeliverAsync([.. entries.SelectMany(n => n)])));
        }

        return updates;
    }

    /// <summary>One entry's part of one record's update. <see cref="Carry"/> sends the parts of many entries for the same
    /// record, in journal order, in one call; every update of a record carries them the same way.</summary>
    private sealed record Update(string Record, object Part, Func<IReadOnlyList<object>, Task> Carry)
    {
        public static Update Of<T>(string record, T part, Func<IReadOnlyList<T>, Task> carry) where T : notnull =>
            new(record, part, parts => carry([.. parts.Cast<T>()]));
    }

    private sealed record Pending(long Entry, List<Update> Updates);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Projecting entries {First} to {Last} of market {Product} to {Record} failed; they will be retried, and that record's later entries wait for them")]
    private static partial void LogProjectionFailed(ILogger logger, Exception exception, string product, long first, long last, string record);
}
