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

    /// <summary>Carries what is pending. Each record gets its updates in journal order and stops at its first failure
    /// (its later updates wait for it); records run side by side, so a drain costs its longest record's chain, not one
    /// round trip per entry. While storage is down that is one timeout, however many entries wait: a market that loads
    /// after an outage with a snapshot's worth of entries to carry again, or a timer tick, no longer holds every call
    /// for a timeout per entry.</summary>
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

    /// <summary>One record's updates in order, up to the first that fails; returns those made.</summary>
    private async Task<List<(Pending Entry, Update Update)>> CarryAsync(List<(Pending Entry, Update Update)> chain)
    {
        var made = new List<(Pending, Update)>();
        foreach (var step in chain)
        {
            if (!await TryAsync(step.Entry.Entry, step.Update))
            {
                break;
            }

            made.Add(step);
        }

        return made;
    }

    private async Task<bool> TryAsync(long entry, Update update)
    {
        try
        {
            await update.Apply().WaitAsync(Patience);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogProjectionFailed(logger, e, product, entry, update.Record);
            MarketInstruments.ProjectionFailed(product, update.Record[..update.Record.IndexOf('/', StringComparison.Ordinal)]);
            return false;
        }
    }

    private List<Update> Updates(MarketEntry entry)
    {
        var updates = new List<Update>();
        foreach (var deal in entry.Deals)
        {
            updates.Add(new($"deal/{deal.Id}", () => grains.GetGrain<IDealGrain>(deal.Id).RecordAsync(deal)));
        }

        foreach (var change in entry.DealChanges ?? [])
        {
            updates.Add(new($"deal/{change.DealId}", () => grains.GetGrain<IDealGrain>(change.DealId).ApplyAsync(change)));
        }

        foreach (var change in entry.LotChanges)
        {
            updates.Add(new($"lot/{change.LotId}", () => grains.GetGrain<ISupplyLotGrain>(change.LotId).ApplyAsync(change)));
        }

        foreach (var change in entry.RequestChanges)
        {
            updates.Add(new($"request/{change.RequestId}", () => grains.GetGrain<IPurchaseRequestGrain>(change.RequestId).ApplyAsync(change)));
        }

        foreach (var cooperative in (entry.Lot is { } posted ? new[] { posted.CooperativeId } : [])
                     .Concat(entry.Deals.Select(d => d.CooperativeId)).Distinct())
        {
            string[] lots = entry.Lot is { } lot && lot.CooperativeId == cooperative ? [lot.Id] : [];
            var deals = entry.Deals.Where(d => d.CooperativeId == cooperative).Select(d => d.Id).ToList();
            updates.Add(new($"cooperative/{cooperative}", () => grains.GetGrain<ICooperativeGrain>(cooperative).IndexAsync(product, entry.Number, lots, deals)));
        }

        foreach (var buyer in (entry.Request is { } placed ? new[] { placed.BuyerId } : [])
                     .Concat(entry.Deals.Select(d => d.BuyerId)).Distinct())
        {
            string[] requests = entry.Request is { } request && request.BuyerId == buyer ? [request.Id] : [];
            var deals = entry.Deals.Where(d => d.BuyerId == buyer).Select(d => d.Id).ToList();
            updates.Add(new($"buyer/{buyer}", () => grains.GetGrain<IBuyerGrain>(buyer).IndexAsync(product, entry.Number, requests, deals)));
        }

        // An entry journalled before entries held their allowances lowers each request it changed to what is unfilled.
        var holds = entry.Holds ?? [.. entry.RequestChanges.Where(c => c.Terms.AllowanceScope is not null)
            .Select(c => new AllowanceHold(c.Terms.AllowanceScope!, c.RequestId, c.RemainingGrams))];
        foreach (var scope in holds.GroupBy(h => h.Scope))
        {
            var held = scope.ToList();
            updates.Add(new($"allowance/{scope.Key}", async () =>
            {
                var allowance = grains.GetGrain<IBuyerAllowanceGrain>(scope.Key);
                foreach (var hold in held)
                {
                    await allowance.ReleaseAsync(hold.RequestId, hold.Grams);
                }
            }));
        }

        foreach (var (inbox, notices) in EntryNotices.For(product, entry))
        {
            updates.Add(new($"inbox/{inbox}", () => grains.GetGrain<IInboxGrain>(inbox).DeliverAsync(notices)));
        }

        return updates;
    }

    private sealed record Update(string Record, Func<Task> Apply);

    private sealed record Pending(long Entry, List<Update> Updates);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Projecting entry {Entry} of market {Product} to {Record} failed; it will be retried, and that record's later entries wait for it")]
    private static partial void LogProjectionFailed(ILogger logger, Exception exception, string product, long entry, string record);
}
