using CoopMarket.Grains.Paging;

namespace CoopMarket.Grains.Notifications;

[GenerateSerializer, Immutable]
internal sealed record InboxState
{
    [Id(0)] public PagedLog<Notice> Log { get; init; } = PagedLog.New<Notice>();

    /// <summary>Every notice up to this sequence is read: one number, whatever the inbox's size.</summary>
    [Id(1)] public long ReadThrough { get; init; }

    /// <summary>Per product, the last journal entry of its market whose notices this inbox holds: the dedupe.</summary>
    /// <remarks>A market carries each record its entries in journal order, all of one entry's notices for one inbox in
    /// one call, and retries a failed call before any later one; so "entry at most the last delivered" is exactly
    /// "delivered already", and deduping by notice id needs no set of ids. It is bounded by the number of products
    /// (a few dozen in a district), not by history, and stays correct however far back a projection re-carries.</remarks>
    [Id(2)] public IReadOnlyDictionary<string, long> DeliveredThrough { get; init; } = new Dictionary<string, long>(StringComparer.Ordinal);

    /// <summary>Whether the participant has webhooks to wake when notices arrive.</summary>
    [Id(3)] public bool Webhooks { get; init; }
}
