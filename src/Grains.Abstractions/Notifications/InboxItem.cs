namespace CoopMarket.Grains.Notifications;

/// <summary>A notice at its place in one inbox.</summary>
/// <param name="Sequence">Its position in the inbox, from 1: the event id the inbox, its live feed and its webhooks
/// give it. An inbox only grows at its newest end, so a position names the same notice for ever.</param>
/// <param name="Read">Whether the participant has marked it read.</param>
[GenerateSerializer, Immutable]
public sealed record InboxItem([property: Id(0)] long Sequence, [property: Id(1)] Notice Notice, [property: Id(2)] bool Read);

/// <summary>One page of an inbox, newest first.</summary>
/// <param name="Next">The position the next (older) page starts before; null on the last page.</param>
[GenerateSerializer, Immutable]
public sealed record InboxPage([property: Id(0)] IReadOnlyList<InboxItem> Items, [property: Id(1)] long? Next);

/// <summary>How much an inbox holds and how much of it is unread.</summary>
/// <param name="Count">How many notices it holds: the newest one's sequence.</param>
/// <param name="ReadThrough">Every notice up to this sequence is read.</param>
[GenerateSerializer, Immutable]
public sealed record InboxSummary([property: Id(0)] long Count, [property: Id(1)] long ReadThrough)
{
    public long Unread => Count - ReadThrough;
}
