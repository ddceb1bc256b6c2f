namespace CoopMarket.Grains.Participants;

/// <summary>What one journal entry of a market made for a participant: its posts (lots or requests) and its deals.</summary>
/// <param name="Entry">The entry's number: a market sends its entries in journal order, so one at most the last indexed
/// from that market is indexed already.</param>
[GenerateSerializer, Immutable]
public sealed record IndexedEntry(
    [property: Id(0)] long Entry,
    [property: Id(1)] IReadOnlyList<string> PostIds,
    [property: Id(2)] IReadOnlyList<string> DealIds);
