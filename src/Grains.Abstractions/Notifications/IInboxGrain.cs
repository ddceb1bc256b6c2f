using CoopMarket.Grains.Paging;

namespace CoopMarket.Grains.Notifications;

/// <summary>The durable inbox of one participant, keyed <c>cooperative/{id}</c> or <c>buyer/{id}</c>.</summary>
public interface IInboxGrain : IGrainWithStringKey
{
    public static string CooperativeKey(string cooperativeId) => $"cooperative/{cooperativeId}";

    public static string BuyerKey(string buyerId) => $"buyer/{buyerId}";

    /// <summary>Appends notices in order; a notice whose id the inbox holds already is skipped, so the market's
    /// projection may carry an entry again after a failure or a restart.</summary>
    Task DeliverAsync(IReadOnlyList<Notice> notices);

    /// <summary>Up to the request's limit of notices, newest first, older than its position.</summary>
    Task<InboxPage> GetPageAsync(PageRequest page);

    /// <summary>Up to <paramref name="limit"/> notices after sequence <paramref name="after"/>, oldest first: what a
    /// live reader or a webhook has not sent yet.</summary>
    Task<IReadOnlyList<InboxItem>> ReadAfterAsync(long after, int limit);

    Task<InboxSummary> GetSummaryAsync();

    /// <summary>Marks every notice up to <paramref name="sequence"/> read; never moves back, so a retry or an older
    /// mark changes nothing. Null when the inbox holds no such notice.</summary>
    Task<InboxSummary?> MarkReadAsync(long sequence);

    /// <summary>Tells <paramref name="observer"/> of arrivals for a lease; a reader renews it before it runs out,
    /// since an observer whose process died is never told to anyone.</summary>
    Task WatchAsync(IInboxObserver observer);

    Task UnwatchAsync(IInboxObserver observer);

    /// <summary>Whether arrivals should wake the participant's webhooks (set by <see cref="IWebhooksGrain"/>).</summary>
    Task SetWebhooksAsync(bool any);
}
