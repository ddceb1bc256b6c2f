using CoopMarket.Grains.Market;

namespace CoopMarket.Grains.Notifications;

/// <summary>What a journal entry tells whom: each notice with the inbox it goes to. The market's projection carries
/// them; a new kind of entry adds its line to <see cref="For"/>.</summary>
internal static class EntryNotices
{
    /// <summary>The notices of <paramref name="entry"/> grouped by inbox, each group in the entry's order, so one
    /// inbox gets all of one entry's notices in one call (the condition of its per-product dedupe).</summary>
    public static IReadOnlyList<(string Inbox, IReadOnlyList<Notice> Notices)> For(string product, MarketEntry entry) =>
        [.. Notices(product, entry)
            .GroupBy(n => n.Inbox, StringComparer.Ordinal)
            .Select(g => (g.Key, (IReadOnlyList<Notice>)[.. g.Select(n => n.Notice)]))];

    private static IEnumerable<(string Inbox, Notice Notice)> Notices(string product, MarketEntry entry)
    {
        // A step is told to both sides, the one that took it too: an inbox is the participant's whole history of its
        // deals, so every person and device signed in as that participant sees what was done.
        var made = entry.Deals.Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var change in (entry.DealChanges ?? []).Where(c => !made.Contains(c.DealId)))
        {
            foreach (var told in Step(product, entry, change))
            {
                yield return told;
            }
        }

        foreach (var deal in entry.Deals)
        {
            foreach (var told in BothSides(product, entry, deal, NoticeKind.DealProposed))
            {
                yield return told;
            }

            // Deals made by a step that gave grams back source the request again: its buyer hears that apart from the
            // proposal, which reads the same as any other.
            if (IsStep(entry.Kind))
            {
                yield return (IInboxGrain.BuyerKey(deal.BuyerId), NoticeOf(product, entry, deal, NoticeKind.Resourced));
            }

            // A deal its cooperative's rule confirmed as it was made: the confirmation follows the new deal.
            foreach (var told in (entry.DealChanges ?? []).Where(c => c.DealId == deal.Id).SelectMany(c => Step(product, entry, c)))
            {
                yield return told;
            }
        }
    }

    private static IEnumerable<(string, Notice)> Step(string product, MarketEntry entry, DealChange change)
    {
        // A deal a shortfall shrank keeps its status (or is shorted): what it is told is the shortfall. Decided per change:
        // the same entry may hold a re-sourced deal that a cooperative's rule confirmed.
        if ((change.ShortGrams > 0 ? NoticeKind.Shortfall : StatusKind(change.Status)) is { } kind)
        {
            var notice = new Notice(Notice.IdFor(product, entry.Number, change.DealId, kind), kind, change.At, product,
                change.DealId, change.LotId, change.RequestId, change.QuantityGrams, change.Status);
            yield return (IInboxGrain.CooperativeKey(change.CooperativeId), notice);
            yield return (IInboxGrain.BuyerKey(change.BuyerId), notice);
        }
    }

    private static bool IsStep(MarketEntryKind kind) => kind.IsDealStep() || kind == MarketEntryKind.LotShorted;

    // What a step is told as follows the status it led to, not the entry's kind: an entry that makes deals may also
    // confirm some of them by rule.
    private static NoticeKind? StatusKind(string status) => status switch
    {
        Deal.Confirmed => NoticeKind.DealConfirmed,
        Deal.Rejected => NoticeKind.DealRejected,
        Deal.Shipped => NoticeKind.DealShipped,
        Deal.Delivered => NoticeKind.DealDelivered,
        Deal.Settled => NoticeKind.DealSettled,
        Deal.Cancelled => NoticeKind.DealCancelled,
        Deal.Expired => NoticeKind.DealExpired,
        _ => null,
    };

    /// <summary>One event of a deal, told to its cooperative and its buyer.</summary>
    private static IEnumerable<(string, Notice)> BothSides(string product, MarketEntry entry, Deal deal, NoticeKind kind)
    {
        var notice = NoticeOf(product, entry, deal, kind);
        yield return (IInboxGrain.CooperativeKey(deal.CooperativeId), notice);
        yield return (IInboxGrain.BuyerKey(deal.BuyerId), notice);
    }

    private static Notice NoticeOf(string product, MarketEntry entry, Deal deal, NoticeKind kind) =>
        new(Notice.IdFor(product, entry.Number, deal.Id, kind), kind, entry.At, product, deal.Id, deal.LotId, deal.RequestId,
            deal.QuantityGrams, deal.Status);
}
