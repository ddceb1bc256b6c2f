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

    private static IEnumerable<(string Inbox, Notice Notice)> Notices(string product, MarketEntry entry) =>
        entry.Deals.SelectMany(deal => BothSides(product, entry, deal, NoticeKind.DealProposed));

    /// <summary>One event of a deal, told to its cooperative and its buyer.</summary>
    private static IEnumerable<(string, Notice)> BothSides(string product, MarketEntry entry, Deal deal, NoticeKind kind)
    {
        var notice = new Notice(Notice.IdFor(product, entry.Number, deal.Id, kind), kind, entry.At, product, deal.Id,
            deal.LotId, deal.RequestId, deal.QuantityGrams, deal.Status);
        yield return (IInboxGrain.CooperativeKey(deal.CooperativeId), notice);
        yield return (IInboxGrain.BuyerKey(deal.BuyerId), notice);
    }
}
