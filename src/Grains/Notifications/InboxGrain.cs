using CoopMarket.Grains.Paging;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace CoopMarket.Grains.Notifications;

internal sealed class InboxGrain(
    [PersistentState("inbox")] IPersistentState<InboxState> state,
    [FromKeyedServices("Default")] IGrainStorage storage) : Grain, IInboxGrain
{
    /// <summary>How long a live reader stays told without renewing: its gateway may die without unwatching.</summary>
    /// <remarks>Infrastructure time, not market time, so the system clock: a fake market clock must not end leases.</remarks>
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    /// <summary>Readers beyond this evict the one whose lease ends first; it still catches up at its next heartbeat.</summary>
    private const int MaxWatchers = 64;

    private readonly Dictionary<IInboxObserver, DateTimeOffset> watchers = [];

    private PageStore<Notice> Pages => new(storage, "notices", "coopmarket-inbox-page", this.GetPrimaryKeyString());

    async Task IInboxGrain.DeliverAsync(IReadOnlyList<Notice> notices)
    {
        var current = state.State;
        var fresh = notices.Where(n => n.Entry > current.DeliveredThrough.GetValueOrDefault(n.Product)).ToList();
        if (fresh.Count == 0)
        {
            return;
        }

        var log = await Pages.AppendAsync(current.Log, fresh);
        var delivered = new Dictionary<string, long>(current.DeliveredThrough, StringComparer.Ordinal);
        foreach (var notice in fresh)
        {
            delivered[notice.Product] = Math.Max(delivered.GetValueOrDefault(notice.Product), notice.Entry);
        }

        await state.WriteAsync(current with { Log = log, DeliveredThrough = delivered }, this);
        Announce(log.Count);
        if (current.Webhooks)
        {
            await GrainFactory.GetGrain<IWebhooksGrain>(this.GetPrimaryKeyString()).WakeAsync();
        }
    }

    async Task<InboxPage> IInboxGrain.GetPageAsync(PageRequest page)
    {
        var (notices, next) = await Pages.ReadNewestFirstAsync(state.State.Log, page);
        return new InboxPage([.. Items(notices)], next);
    }

    async Task<IReadOnlyList<InboxItem>> IInboxGrain.ReadAfterAsync(long after, int limit)
    {
        var count = state.State.Log.Count;
        var start = Math.Clamp(after, 0, count);
        return [.. await Items(start, Math.Min(count, start + Math.Clamp(limit, 1, PageRequest.MaxLimit)))];
    }

    Task<InboxSummary> IInboxGrain.GetSummaryAsync() => Task.FromResult(Summary);

    async Task<InboxSummary?> IInboxGrain.MarkReadAsync(long sequence)
    {
        if (sequence < 1 || sequence > state.State.Log.Count)
        {
            return null;
        }

        if (sequence > state.State.ReadThrough)
        {
            await state.WriteAsync(state.State with { ReadThrough = sequence }, this);
        }

        return Summary;
    }

    Task IInboxGrain.WatchAsync(IInboxObserver observer)
    {
        var now = TimeProvider.System.GetUtcNow();
        foreach (var expired in watchers.Where(w => w.Value <= now).Select(w => w.Key).ToList())
        {
            watchers.Remove(expired);
        }

        if (!watchers.ContainsKey(observer) && watchers.Count >= MaxWatchers)
        {
            watchers.Remove(watchers.MinBy(w => w.Value).Key);
        }

        watchers[observer] = now + Lease;
        return Task.CompletedTask;
    }

    Task IInboxGrain.UnwatchAsync(IInboxObserver observer)
    {
        watchers.Remove(observer);
        return Task.CompletedTask;
    }

    async Task IInboxGrain.SetWebhooksAsync(bool any)
    {
        if (state.State.Webhooks != any)
        {
            await state.WriteAsync(state.State with { Webhooks = any }, this);
        }
    }

    private InboxSummary Summary => new(state.State.Log.Count, state.State.ReadThrough);

    private async Task<IEnumerable<InboxItem>> Items(long start, long end) => Items(await Pages.ReadAsync(state.State.Log, start, end));

    private IEnumerable<InboxItem> Items(IEnumerable<(long Position, Notice Item)> notices)
    {
        var readThrough = state.State.ReadThrough;
        return notices.Select(n => new InboxItem(n.Position + 1, n.Item, n.Position + 1 <= readThrough));
    }

    /// <summary>Wakes live readers; one-way calls, so a reader whose gateway is gone costs the delivery nothing.</summary>
    private void Announce(long count)
    {
        var now = TimeProvider.System.GetUtcNow();
        foreach (var (observer, until) in watchers.ToList())
        {
            if (until <= now)
            {
                watchers.Remove(observer);
            }
            else
            {
                _ = observer.DeliveredAsync(count);
            }
        }
    }
}
