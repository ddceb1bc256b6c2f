namespace CoopMarket.Matching;

/// <summary>A match the book made: this many grams of a lot go to a request at the lot's ask.</summary>
/// <param name="HarvestOn">The latest harvest day that still reaches the buyer on <paramref name="DeliverOn"/>.</param>
/// <param name="TransitDays">Days on the road the route takes: the goods leave by <paramref name="DeliverOn"/> minus these.</param>
public sealed record Fill(
    string LotId,
    string RequestId,
    string CooperativeId,
    string BuyerId,
    string Product,
    long QuantityGrams,
    long PriceVndPerKg,
    long TransportVndPerKg,
    DateOnly HarvestOn,
    DateOnly DeliverOn,
    MatchReason Reason,
    int TransitDays);
