using CoopMarket.Grains.Participants;
using CoopMarket.Grains.Telemetry;
using Microsoft.Extensions.Logging;

namespace CoopMarket.Grains.Market;

/// <summary>Carries journal entries to the records people read — deals, lots, requests, participants' indexes and
/// buyers' allowances. Each record gets its entries in journal order; a record whose update fails holds back only
/// its own later updates, never another record's, and is retried at the next drain.</summary>
/// <remarks>Every update is idempotent (records keep the entry number they are at), so an entry may be carried again,
/// as happens after a restart for every entry after <see cref="ProjectedThrough"/>.</remarks>
internal sealed partial class MarketProjection(IGrainFactory grains, ILogger logger, string product)
{
    private readonly List<Pending> pending = [];
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

    /// <summary>Carries what is pending. A command's own drain (<paramref name="forCommand"/>) stops retrying older
    /// entries at their first failure and goes on to its own entry: while storage is down every failed update costs a
    /// timeout, and a command must not wait one out for every entry that failed before it. The timer retries them all.</summary>
    public async Task DrainAsync(bool forCommand = false)
    {
        var held = new HashSet<string>(StringComparer.Ordinal);
        var newest = pending.Count > 0 ? pending[^1].Entry : 0;
        var olderFailed = false;
        foreach (var entry in pending)
        {
            if (forCommand && olderFailed && entry.Entry != newest)
            {
                held.UnionWith(entry.Updates.Select(u => u.Record));
                continue;
            }

            var ready = entry.Updates.Where(u => !held.Contains(u.Record)).ToList();
            var done = await Task.WhenAll(ready.Select(u => TryAsync(entry.Entry, u)));
            for (var i = 0; i < ready.Count; i++)
            {
                if (done[i])
                {
                    entry.Updates.Remove(ready[i]);
                }
                else
                {
                    held.Add(ready[i].Record);
                    olderFailed = true;
                }
            }

            // Records that wait for an earlier entry wait for this one too, so each sees its entries in order.
            foreach (var waiting in entry.Updates)
            {
                held.Add(waiting.Record);
            }
        }

        pending.RemoveAll(p => p.Updates.Count == 0);
        MarketInstruments.ProjectionBacklog(product, Lag);
    }

    private async Task<bool> TryAsync(long entry, Update update)
    {
        try
        {
            await update.Apply();
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

        foreach (var scope in entry.RequestChanges.Where(c => c.Terms.AllowanceScope is not null).GroupBy(c => c.Terms.AllowanceScope!))
        {
            var changes = scope.ToList();
            updates.Add(new($"allowance/{scope.Key}", async () =>
            {
                var allowance = grains.GetGrain<IBuyerAllowanceGrain>(scope.Key);
                foreach (var change in changes)
                {
                    await allowance.ReleaseAsync(change.RequestId, change.RemainingGrams);
                }
            }));
        }

        return updates;
    }

    private sealed record Update(string Record, Func<Task> Apply);

    private sealed record Pending(long Entry, List<Update> Updates);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Projecting entry {Entry} of market {Product} to {Record} failed; it will be retried, and that record's later entries wait for it")]
    private static partial void LogProjectionFailed(ILogger logger, Exception exception, string product, long entry, string record);
}
