using System.Globalization;

namespace CoopMarket.Grains.Notifications;

/// <summary>What happened to a deal, told to one of its two sides.</summary>
public enum NoticeKind
{
    DealProposed,
    DealConfirmed,
    DealRejected,
    DealExpired,
    DealCancelled,
    DealShipped,
    DealDelivered,
    DealSettled,
    Shortfall,
    Resourced,
}

/// <summary>One event in a participant's inbox, as the market's journal decided it.</summary>
/// <param name="Id">Unique within the inbox and the same every time the journal entry is carried again
/// (<c>{product}:{entry}:{dealId}:{kind}</c>), so delivering it twice keeps one copy.</param>
/// <param name="Status">The deal's status after the event.</param>
[GenerateSerializer, Immutable]
public sealed record Notice(
    [property: Id(0)] string Id,
    [property: Id(1)] NoticeKind Kind,
    [property: Id(2)] DateTimeOffset At,
    [property: Id(3)] string Product,
    [property: Id(4)] string DealId,
    [property: Id(5)] string LotId,
    [property: Id(6)] string RequestId,
    [property: Id(7)] long QuantityGrams,
    [property: Id(8)] string Status)
{
    public static string IdFor(string product, long entry, string dealId, NoticeKind kind) =>
        $"{product}:{entry}:{dealId}:{kind}";

    /// <summary>The number of the journal entry of <see cref="Product"/>'s market that decided this notice, read back
    /// from <see cref="Id"/> past the product (which may itself hold a colon), so the id stays the one source.</summary>
    public long Entry
    {
        get
        {
            var start = Product.Length + 1;
            var end = Id.IndexOf(':', start);
            return Id.StartsWith(Product + ":", StringComparison.Ordinal) && end > start
                   && long.TryParse(Id.AsSpan(start, end - start), NumberStyles.None, CultureInfo.InvariantCulture, out var entry) && entry > 0
                ? entry
                : throw new FormatException($"Notice id '{Id}' is not {{product}}:{{entry}}:{{dealId}}:{{kind}} for product '{Product}'.");
        }
    }
}
