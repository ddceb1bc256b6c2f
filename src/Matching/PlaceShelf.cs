namespace CoopMarket.Matching;

/// <summary>The open lots picked up at one place, cheapest ask first then earliest.</summary>
/// <remarks>Transport depends only on the two places, so within one shelf the landed-cost order for any request is
/// the ask order: a request walks each shelf from its cheapest lot and stops at its price, never scanning a book.</remarks>
internal sealed class PlaceShelf(Place place, MarketRules rules)
{
    private static readonly Comparer<LotEntry> ByAskThenArrival = Comparer<LotEntry>.Create(static (a, b) =>
        a.Ask != b.Ask ? a.Ask.CompareTo(b.Ask) : a.Sequence.CompareTo(b.Sequence));

    private readonly Dictionary<Place, Route> routes = [];

    public Place Place { get; } = place;
    public SortedSet<LotEntry> Lots { get; } = new(ByAskThenArrival);

    public Route RouteTo(Place delivery)
    {
        if (!routes.TryGetValue(delivery, out var route))
        {
            route = Route.Between(Place, delivery, rules);
            routes[delivery] = route;
        }

        return route;
    }
}
