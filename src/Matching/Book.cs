namespace CoopMarket.Matching;

/// <summary>The order book of one product: open supply lots and resting purchase requests, matched as they arrive.</summary>
/// <remarks>Not thread-safe: one owner (the product's market grain) calls it one operation at a time.
/// Every operation either completes or throws before changing anything.</remarks>
public sealed partial class Book
{
    private static readonly Comparer<RequestEntry> ByPriceThenArrival = Comparer<RequestEntry>.Create(static (a, b) =>
    {
        var byPrice = b.Request.MaxVndPerKg.CompareTo(a.Request.MaxVndPerKg);
        return byPrice != 0 ? byPrice : a.Sequence.CompareTo(b.Sequence);
    });

    private readonly MarketRules rules;
    private readonly Dictionary<string, LotEntry> lots = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RequestEntry> requests = new(StringComparer.Ordinal);
    private readonly Dictionary<Place, PlaceShelf> shelvesByPlace = [];
    private readonly List<PlaceShelf> shelves = [];
    private readonly Dictionary<Place, Route[]> routesByDelivery = [];
    private readonly Dictionary<string, HashSet<LotEntry>> lotsByChain = new(StringComparer.Ordinal);
    private readonly SortedSet<RequestEntry> restingRequests = new(ByPriceThenArrival);

    // Half of int.MinValue, so adding a transit of days can never overflow.
    private int todayDay = int.MinValue / 2;

    public Book(string product, int shelfLifeDays, MarketRules? rules = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(product);
        ArgumentOutOfRangeException.ThrowIfNegative(shelfLifeDays);
        Product = product;
        ShelfLifeDays = shelfLifeDays;
        this.rules = rules ?? MarketRules.Default;
    }

    public string Product { get; }
    public int ShelfLifeDays { get; private set; }

    /// <summary>Takes the product's new shelf life: from now on no lot is matched to a delivery it cannot reach fresh by
    /// the new count. Deals already made keep the days they were made with.</summary>
    public void ChangeShelfLife(int shelfLifeDays)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(shelfLifeDays);
        ShelfLifeDays = shelfLifeDays;
    }

    /// <summary>The market's today: no deal is delivered before it (plus transit). Before the owner sets it the book
    /// knows no today, which suits replaying decisions already made and tests of the rules alone.</summary>
    public DateOnly? Today
    {
        get => todayDay == int.MinValue / 2 ? null : DateOnly.FromDayNumber(todayDay);
        set => todayDay = value?.DayNumber ?? int.MinValue / 2;
    }

    /// <summary>The arrival sequence the next lot or request will get.</summary>
    public long NextSequence { get; private set; } = 1;

    /// <summary>Continues arrival order from <paramref name="next"/> at least: a rebuilt book that holds only its open
    /// entries cannot tell from them how far the sequence had come.</summary>
    public void ContinueSequenceFrom(long next) => NextSequence = Math.Max(NextSequence, next);

    public IEnumerable<OpenLot> Lots => lots.Values.Select(View);
    public IEnumerable<OpenRequest> Requests => requests.Values.Select(View);

    public OpenLot? FindLot(string lotId) => lots.TryGetValue(lotId, out var entry) ? View(entry) : null;

    public OpenRequest? FindRequest(string requestId) => requests.TryGetValue(requestId, out var entry) ? View(entry) : null;

    /// <summary>Adds a lot and lets it fill resting requests, highest price first, then earliest.</summary>
    public MatchOutcome PostLot(SupplyLot lot)
    {
        Validate(lot);
        var entry = AddLot(lot, NextSequence++, lot.QuantityGrams);
        var fills = FillRestingRequests(entry);
        return new MatchOutcome(entry.Sequence, entry.RemainingGrams, fills);
    }

    /// <summary>Adds a request and fills it from the best compatible lots its policy allows; what is unfilled rests.</summary>
    public MatchOutcome PlaceRequest(PurchaseRequest request)
    {
        Validate(request);
        var entry = new RequestEntry(request, NextSequence++, request.QuantityGrams);
        requests.Add(request.Id, entry);
        var plan = PlanFor(entry);
        var fills = request.AllowPartial || plan.IsComplete ? Apply(plan) : [];
        if (entry.RemainingGrams > 0)
        {
            restingRequests.Add(entry);
        }

        return new MatchOutcome(entry.Sequence, entry.RemainingGrams, fills);
    }

    /// <summary>Open lots that can no longer arrive fresh anywhere on <paramref name="today"/> (harvest end plus shelf
    /// life before it) and requests whose delivery window has closed: what a market expires when its day turns.</summary>
    /// <remarks>Scans the open book, so its owner calls it once a day, not once a command.</remarks>
    public StaleEntries Stale(DateOnly today)
    {
        var day = today.DayNumber;
        return new StaleEntries(
            [.. lots.Values.Where(l => l.RemainingGrams > 0 && l.HarvestTo + ShelfLifeDays < day).OrderBy(l => l.Sequence).Select(l => l.Lot.Id)],
            [.. requests.Values.Where(r => r.RemainingGrams > 0 && r.DeliverBy < day).OrderBy(r => r.Sequence).Select(r => r.Request.Id)]);
    }

    /// <summary>Takes the unsold rest of a lot off the market; deals already made stand. Null for an unknown lot.</summary>
    public long? WithdrawLot(string lotId)
    {
        if (!lots.Remove(lotId, out var entry))
        {
            return null;
        }

        if (entry.IsOpen)
        {
            Unindex(entry);
        }

        return entry.RemainingGrams;
    }

    /// <summary>Cancels the unfilled rest of a request; deals already made stand. Null for an unknown request.</summary>
    public long? CancelRequest(string requestId)
    {
        if (!requests.Remove(requestId, out var entry))
        {
            return null;
        }

        restingRequests.Remove(entry);
        return entry.RemainingGrams;
    }

    /// <summary>Gives the grams of a rejected or expired deal back to both sides that are still in the book.</summary>
    /// <remarks>The lot keeps its original arrival sequence, so it regains its place in time priority. Returned
    /// grams wait for the next arrival rather than re-matching at once, which would only repeat the deal just refused.</remarks>
    public ReturnOutcome ReturnFill(Fill fill) => ReturnFill(fill.LotId, fill.RequestId, fill.CooperativeId, fill.QuantityGrams);

    /// <inheritdoc cref="ReturnFill(Fill)"/>
    public ReturnOutcome ReturnFill(string lotId, string requestId, string cooperativeId, long grams)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(grams);
        var toLot = lots.TryGetValue(lotId, out var lot);
        if (toLot && lot!.RemainingGrams + grams > lot.QuantityGrams)
        {
            throw new ArgumentException("The fill returns more than was ever taken from its lot.", nameof(grams));
        }

        var toRequest = ReturnToRequest(requestId, cooperativeId, grams);
        if (toLot)
        {
            if (lot!.RemainingGrams == 0)
            {
                Index(lot);
            }

            lot.RemainingGrams += grams;
        }

        return new ReturnOutcome(toLot, toRequest);
    }

    /// <summary>Gives a request back grams a deal will not bring after all, though its lot does not get them back: the
    /// lot fell short of them, or they were lost between shipping and delivery. False when the request is not in the book
    /// (cancelled or expired meanwhile), which then simply got less.</summary>
    public bool ReturnToRequest(string requestId, string cooperativeId, long grams)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(grams);
        if (!requests.TryGetValue(requestId, out var request))
        {
            return false;
        }

        if (request.RemainingGrams + grams > request.Request.QuantityGrams)
        {
            throw new ArgumentException("The fill returns more than was ever taken from its request.", nameof(grams));
        }

        if (request.RemainingGrams == 0)
        {
            restingRequests.Add(request);
        }

        request.RemainingGrams += grams;
        request.TakenByCooperative[cooperativeId] = request.TakenByCooperative.GetValueOrDefault(cooperativeId) - grams;
        return true;
    }

    /// <summary>Lowers a lot's quantity by <paramref name="grams"/> after a poor harvest. Its unsold rest goes first;
    /// returns how much of the rest went. The other grams are held by deals, which the owner shrinks and whose requests it
    /// gives the grams back (<see cref="ReturnToRequest"/>): the book does not know deals.</summary>
    public long ShortLot(string lotId, long grams)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(grams);
        if (!lots.TryGetValue(lotId, out var lot))
        {
            throw new ArgumentException($"The book holds no lot '{lotId}'.", nameof(lotId));
        }

        ArgumentOutOfRangeException.ThrowIfGreaterThan(grams, lot.QuantityGrams);
        var fromRest = Math.Min(grams, lot.RemainingGrams);
        lot.RemainingGrams -= fromRest;
        lot.ShortGrams += grams;
        if (lot.RemainingGrams == 0 && lot.IsOpen)
        {
            Unindex(lot);
        }

        return fromRest;
    }

    /// <summary>Fills what a resting request lacks again, as its policy allows, from any lot but
    /// <paramref name="excludedLotId"/>: after a deal gave its grams back, the request is sourced again at once, and not
    /// from the lot whose deal was just refused, which would only repeat it. The request keeps its arrival sequence.</summary>
    public IReadOnlyList<Fill> Rematch(string requestId, string? excludedLotId = null)
    {
        if (!requests.TryGetValue(requestId, out var entry) || entry.RemainingGrams == 0)
        {
            return [];
        }

        var excluded = excludedLotId is not null && lots.TryGetValue(excludedLotId, out var lot) && lot.IsOpen ? lot : null;
        if (excluded is not null)
        {
            Unindex(excluded);
        }

        try
        {
            var plan = PlanFor(entry);
            return entry.Request.AllowPartial || plan.IsComplete ? Apply(plan) : [];
        }
        finally
        {
            if (excluded is not null)
            {
                Index(excluded);
            }
        }
    }

    /// <summary>Puts back a lot as it was stored, without matching: for a book rebuilt after a restart.</summary>
    public void RestoreLot(OpenLot open)
    {
        Validate(open.Lot);
        ArgumentOutOfRangeException.ThrowIfNegative(open.RemainingGrams);
        ArgumentOutOfRangeException.ThrowIfNegative(open.ShortGrams);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(open.RemainingGrams, open.QuantityGrams);
        AddLot(open.Lot, open.Sequence, open.RemainingGrams).ShortGrams = open.ShortGrams;
        NextSequence = Math.Max(NextSequence, open.Sequence + 1);
    }

    /// <summary>Puts back a request as it was stored, without matching: for a book rebuilt after a restart.</summary>
    public void RestoreRequest(OpenRequest open)
    {
        Validate(open.Request);
        ArgumentOutOfRangeException.ThrowIfNegative(open.RemainingGrams);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(open.RemainingGrams, open.Request.QuantityGrams);
        var entry = new RequestEntry(open.Request, open.Sequence, open.RemainingGrams);
        foreach (var (cooperative, grams) in open.TakenByCooperative)
        {
            entry.TakenByCooperative[cooperative] = grams;
        }

        requests.Add(open.Request.Id, entry);
        if (entry.RemainingGrams > 0)
        {
            restingRequests.Add(entry);
        }

        NextSequence = Math.Max(NextSequence, open.Sequence + 1);
    }

    /// <summary>Re-applies a fill read back from a journal, without matching: for a book rebuilt after a restart.</summary>
    public void RestoreFill(string lotId, string requestId, long grams)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(grams);
        if (!lots.TryGetValue(lotId, out var lot) || !requests.TryGetValue(requestId, out var request))
        {
            throw new ArgumentException($"Fill of lot '{lotId}' for request '{requestId}' names a lot or request the book does not hold.");
        }

        if (grams > lot.RemainingGrams || grams > request.RemainingGrams)
        {
            throw new ArgumentException($"Fill of {grams} g from lot '{lotId}' for request '{requestId}' takes more than is left.");
        }

        var plan = new Plan(request);
        plan.Takes.Add((new Candidate(lot, default, request.IsMember(lot)), grams));
        ApplyTakes(plan);
    }

    private LotEntry AddLot(SupplyLot lot, long sequence, long remainingGrams)
    {
        if (!shelvesByPlace.TryGetValue(lot.Pickup, out var shelf))
        {
            shelf = new PlaceShelf(lot.Pickup, shelves.Count);
            shelvesByPlace.Add(lot.Pickup, shelf);
            shelves.Add(shelf);
        }

        var entry = new LotEntry(lot, sequence, remainingGrams, shelf);
        lots.Add(lot.Id, entry);
        if (remainingGrams > 0)
        {
            Index(entry);
        }

        return entry;
    }

    /// <summary>The route from every shelf to <paramref name="delivery"/>, by shelf index: worked out once per
    /// delivery place, so matching a request costs one lookup however many pickup places the book has.</summary>
    private Route[] RoutesTo(Place delivery)
    {
        if (!routesByDelivery.TryGetValue(delivery, out var routes) || routes.Length < shelves.Count)
        {
            var known = routes?.Length ?? 0;
            Array.Resize(ref routes, shelves.Count);
            for (var i = known; i < shelves.Count; i++)
            {
                routes[i] = Route.Between(shelves[i].Place, delivery, rules);
            }

            routesByDelivery[delivery] = routes;
        }

        return routes;
    }

    private void Index(LotEntry entry)
    {
        entry.Shelf.Add(entry);
        foreach (var chain in entry.Lot.ValueChains)
        {
            if (!lotsByChain.TryGetValue(chain, out var members))
            {
                members = [];
                lotsByChain.Add(chain, members);
            }

            members.Add(entry);
        }
    }

    private void Unindex(LotEntry entry)
    {
        entry.Shelf.Remove(entry);
        foreach (var chain in entry.Lot.ValueChains)
        {
            if (lotsByChain.TryGetValue(chain, out var members))
            {
                members.Remove(entry);
            }
        }
    }

    private List<Fill> Apply(Plan plan)
    {
        var fills = new List<Fill>(plan.Takes.Count);
        foreach (var (candidate, grams) in plan.Takes)
        {
            fills.Add(ToFill(candidate, plan.Request, grams));
        }

        ApplyTakes(plan);
        return fills;
    }

    private void ApplyTakes(Plan plan)
    {
        var request = plan.Request;
        foreach (var (candidate, grams) in plan.Takes)
        {
            var lot = candidate.Lot;
            lot.RemainingGrams -= grams;
            if (lot.RemainingGrams == 0)
            {
                Unindex(lot);
            }

            request.RemainingGrams -= grams;
            var cooperative = lot.Lot.CooperativeId;
            request.TakenByCooperative[cooperative] = request.TakenByCooperative.GetValueOrDefault(cooperative) + grams;
        }

        if (request.RemainingGrams == 0)
        {
            restingRequests.Remove(request);
        }
    }

    private static Fill ToFill(in Candidate candidate, RequestEntry request, long grams)
    {
        var (lot, assessment, member) = candidate;
        var route = assessment.Route;
        var reason = new MatchReason(request.Request.Policy, member, assessment.LandedVndPerKg, lot.Ask,
            route.TransportVndPerKg, route.RoadKm, assessment.ShelfDaysLeft, lot.Sequence);
        return new Fill(lot.Lot.Id, request.Request.Id, lot.Lot.CooperativeId, request.Request.BuyerId, lot.Lot.Product,
            grams, lot.Ask, route.TransportVndPerKg, DateOnly.FromDayNumber(assessment.HarvestOnDay),
            DateOnly.FromDayNumber(assessment.DeliverOnDay), reason, route.TransitDays);
    }

    private static OpenLot View(LotEntry entry) => new(entry.Lot, entry.Sequence, entry.RemainingGrams, entry.ShortGrams);

    private static OpenRequest View(RequestEntry entry) =>
        new(entry.Request, entry.Sequence, entry.RemainingGrams, new Dictionary<string, long>(entry.TakenByCooperative));
}
