using System.Globalization;

namespace CoopMarket.Grains.Notifications;

/// <summary>A notice as clients read it, in the inbox, the live feed and webhook bodies alike.</summary>
/// <param name="EventId">The notice's sequence in the participant's inbox: stable, unique within the inbox, ordered.</param>
/// <param name="NoticeId">The journal event the notice tells of, the same in both sides' inboxes.</param>
/// <param name="Kind">What happened, e.g. <c>DealProposed</c>.</param>
/// <param name="Status">The deal's status after the event.</param>
/// <param name="Read">Whether the participant has marked it read.</param>
public sealed record NoticeEvent(
    string EventId,
    string NoticeId,
    string Kind,
    DateTimeOffset At,
    string Product,
    string DealId,
    string LotId,
    string RequestId,
    decimal QuantityKg,
    string Status,
    bool Read)
{
    public static NoticeEvent From(InboxItem item) => new(
        item.Sequence.ToString(CultureInfo.InvariantCulture), item.Notice.Id, item.Notice.Kind.ToString(), item.Notice.At,
        item.Notice.Product, item.Notice.DealId, item.Notice.LotId, item.Notice.RequestId, item.Notice.QuantityGrams / 1000m,
        item.Notice.Status, item.Read);
}
