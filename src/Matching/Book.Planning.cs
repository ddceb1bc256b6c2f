namespace CoopMarket.Matching;

// How a request finds its lots and how a lot finds its requests. Plans change nothing; Apply does.
public sealed partial class Book
{
    // Reused between operations: the book runs one operation at a time, and matching is its hot path.
    private readonly List<Candidate> level = [];
    private ShelfCursor[] cursors = [];
    private readonly List<RequestEntry> pricedIn = [];

    private Plan PlanFor(RequestEntry request)
    {
        var plan = new Plan(request);
        switch (request.Request.Policy)
        {
            case AllocationPolicy.PriceTime:
                TakeFromShelves(plan, skipMembers: false);
                break;
            case AllocationPolicy.ChainOnly:
                TakeInOrder(plan, MemberCandidates(request));
                break;
            case AllocationPolicy.ChainFirst:
            case AllocationPolicy.Capped:
                TakeInOrder(plan, MemberCandidates(request));
                if (!plan.IsComplete)
                {
                    TakeFromShelves(plan, skipMembers: true);
                }

                break;
            case AllocationPolicy.ProRata:
                TakeProRata(plan, MemberCandidates(request));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(request), request.Request.Policy, "Unknown allocation policy.");
        }

        return plan;
    }

    private static void TakeInOrder(Plan plan, List<Candidate> ranked)
    {
        foreach (var candidate in ranked)
        {
            if (plan.IsComplete)
            {
                return;
            }

            plan.TryTake(candidate);
        }
    }

    /// <summary>Every compatible lot of the request's chain members, best first. Chains are small next to the book.</summary>
    private List<Candidate> MemberCandidates(RequestEntry request)
    {
        var ranked = new List<Candidate>();
        if (request.Request.Chain is { } chain && lotsByChain.TryGetValue(chain.ValueChainId, out var members))
        {
            var routes = RoutesTo(request.Request.DeliverTo);
            foreach (var lot in members)
            {
                if (Assessment.Of(lot, request, routes[lot.Shelf.Index], ShelfLifeDays, todayDay) is { } assessment)
                {
                    ranked.Add(new Candidate(lot, assessment, Member: true));
                }
            }
        }

        ranked.Sort(static (a, b) => Assessment.Compare(a, b));
        return ranked;
    }

    /// <summary>Walks every pickup shelf in landed-cost order at once (a k-way merge), one landed-cost level at a
    /// time; within a level the freshest lot goes first, then the earliest. Stops at the request's price.</summary>
    private void TakeFromShelves(Plan plan, bool skipMembers)
    {
        var request = plan.Request;
        var maxPrice = request.Request.MaxVndPerKg;
        var routes = RoutesTo(request.Request.DeliverTo);
        if (cursors.Length < shelves.Count)
        {
            cursors = new ShelfCursor[shelves.Count];
        }

        var active = 0;
        foreach (var shelf in shelves)
        {
            var route = routes[shelf.Index];
            if (shelf.LevelCount > 0 && route.TransitDays <= ShelfLifeDays && shelf.Level(0).Ask + route.TransportVndPerKg <= maxPrice)
            {
                cursors[active++] = new ShelfCursor(shelf, route.TransportVndPerKg);
            }
        }

        while (!plan.IsComplete && active > 0)
        {
            // The lowest landed cost, and how many shelves offer it.
            var landed = long.MaxValue;
            var atLanded = 0;
            for (var i = 0; i < active; i++)
            {
                if (cursors[i].Landed < landed)
                {
                    (landed, atLanded) = (cursors[i].Landed, 1);
                }
                else if (cursors[i].Landed == landed)
                {
                    atLanded++;
                }
            }

            if (landed > maxPrice)
            {
                break;
            }

            level.Clear();
            for (var i = 0; i < active; i++)
            {
                ref var cursor = ref cursors[i];
                if (cursor.Landed != landed)
                {
                    continue;
                }

                var lots = cursor.Shelf.Level(cursor.Level);
                var route = routes[cursor.Shelf.Index];
                if (atLanded == 1)
                {
                    TakeFromLevel(plan, lots, route, skipMembers);
                }
                else
                {
                    for (var j = lots.FirstLive; j < lots.Count; j++)
                    {
                        AddCandidate(request, lots[j], route, skipMembers);
                    }
                }

                // A spent cursor takes the last active one's place.
                if (++cursor.Level == cursor.Shelf.LevelCount)
                {
                    cursors[i--] = cursors[--active];
                }
            }

            TakeRanked(plan);
        }

        Array.Clear(cursors, 0, active);
    }

    /// <summary>Takes from the one shelf level at its landed cost without assessing every lot in it when it need not: a
    /// season's busiest ask can hold thousands of small lots, and a request that one of them fills assessed them all.</summary>
    /// <remarks>The lots of one shelf share a route, so none can reach the request with more shelf life left than the
    /// shelf life less the transit, and the level lists them in arrival order. The lots found at that bound, in the order
    /// found, are therefore the ranking's first ones, ahead of every lot not yet looked at; once they hold what the request
    /// needs, the rest of the level is left unread. If their takes fall short (a cap, a minimum order), the rest of the
    /// level is assessed after all and ranked with the lots found below the bound, which is the full ranking's order.</remarks>
    private void TakeFromLevel(Plan plan, PriceLevel lots, Route route, bool skipMembers)
    {
        var bound = ShelfLifeDays - route.TransitDays;
        long gramsAtBound = 0;
        var next = lots.FirstLive;
        for (; next < lots.Count && gramsAtBound < plan.NeedGrams; next++)
        {
            if (AddCandidate(plan.Request, lots[next], route, skipMembers) is { } added && added.Assessment.ShelfDaysLeft == bound)
            {
                gramsAtBound += added.Lot.RemainingGrams;
            }
        }

        foreach (var candidate in level)
        {
            if (candidate.Assessment.ShelfDaysLeft == bound && plan.TryTake(candidate) && plan.IsComplete)
            {
                return;
            }
        }

        level.RemoveAll(c => c.Assessment.ShelfDaysLeft == bound);
        for (; next < lots.Count; next++)
        {
            AddCandidate(plan.Request, lots[next], route, skipMembers);
        }
    }

    /// <summary>Offers the candidates gathered for one landed cost to the plan, best first, and clears them.</summary>
    private void TakeRanked(Plan plan)
    {
        if (plan.IsComplete)
        {
            level.Clear();
            return;
        }

        if (level.Count > 1)
        {
            level.Sort(static (a, b) => Assessment.Compare(a, b));
        }

        foreach (var candidate in level)
        {
            if (plan.IsComplete)
            {
                break;
            }

            plan.TryTake(candidate);
        }

        level.Clear();
    }

    /// <summary>Adds the lot to this landed cost's candidates if it is open and can serve the request; answers it.</summary>
    private Candidate? AddCandidate(RequestEntry request, LotEntry lot, Route route, bool skipMembers)
    {
        if (!lot.IsOpen)
        {
            return null;
        }

        var member = request.IsMember(lot);
        if ((skipMembers && member) || Assessment.Of(lot, request, route, ShelfLifeDays, todayDay) is not { } assessment)
        {
            return null;
        }

        var candidate = new Candidate(lot, assessment, member);
        level.Add(candidate);
        return candidate;
    }

    /// <summary>Splits the request over the members' lots in proportion to what each has available, by the largest
    /// remainder method so the grams add up exactly; ties in remainder go to the better-ranked lot. A lot whose share
    /// falls below its minimum order drops out and the rest is split again.</summary>
    private static void TakeProRata(Plan plan, List<Candidate> ranked)
    {
        var need = plan.NeedGrams;
        while (ranked.Count > 0)
        {
            long available = 0;
            foreach (var candidate in ranked)
            {
                available += candidate.Lot.RemainingGrams;
            }

            if (available <= need)
            {
                TakeInOrder(plan, ranked);
                return;
            }

            var shares = new long[ranked.Count];
            var remainders = new Int128[ranked.Count];
            long given = 0;
            for (var i = 0; i < ranked.Count; i++)
            {
                var exact = (Int128)need * ranked[i].Lot.RemainingGrams;
                shares[i] = (long)(exact / available);
                remainders[i] = exact % available;
                given += shares[i];
            }

            var byRemainder = Enumerable.Range(0, ranked.Count).OrderByDescending(i => remainders[i]).ThenBy(i => i);
            foreach (var i in byRemainder.Take((int)(need - given)))
            {
                shares[i]++;
            }

            var tooSmall = Enumerable.Range(0, ranked.Count)
                .Where(i => shares[i] > 0 && shares[i] < Math.Min(ranked[i].Lot.Lot.MinOrderGrams, ranked[i].Lot.RemainingGrams))
                .ToHashSet();
            if (tooSmall.Count == 0)
            {
                for (var i = 0; i < ranked.Count; i++)
                {
                    if (shares[i] > 0)
                    {
                        plan.TryTake(ranked[i], shares[i]);
                    }
                }

                return;
            }

            ranked = [.. ranked.Where((_, i) => !tooSmall.Contains(i))];
        }
    }

    /// <summary>Lets a new lot fill the resting requests that can pay its ask, highest price first, then earliest.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1859", Justification = "Most lots meet no resting request; the shared empty array spares them a list.")]
    private IReadOnlyList<Fill> FillRestingRequests(LotEntry lot)
    {
        if (restingRequests.Count == 0 || restingRequests.Min!.Request.MaxVndPerKg < lot.Ask)
        {
            return [];
        }

        var fills = new List<Fill>();
        pricedIn.Clear();
        foreach (var request in restingRequests)
        {
            if (request.Request.MaxVndPerKg < lot.Ask)
            {
                break;
            }

            pricedIn.Add(request);
        }

        // A lot whose rest falls below its minimum order may then go whole to a request it had to pass over, and an
        // all-or-none request may complete on another walk, so the walk repeats while it still makes deals.
        var dealt = true;
        while (dealt && lot.RemainingGrams > 0)
        {
            dealt = FillInOrder(lot, fills);
        }

        pricedIn.Clear();
        return fills;
    }

    private bool FillInOrder(LotEntry lot, List<Fill> fills)
    {
        var dealt = false;
        foreach (var request in pricedIn)
        {
            if (lot.RemainingGrams == 0)
            {
                break;
            }

            if (request.RemainingGrams == 0)
            {
                continue;
            }

            var member = request.IsMember(lot);
            if (request.Request.Chain is { MembersOnly: true } && !member
                || Assessment.Of(lot, request, RoutesTo(request.Request.DeliverTo)[lot.Shelf.Index], ShelfLifeDays, todayDay) is not { } assessment)
            {
                continue;
            }

            // An all-or-none request looks at the whole book again, now that this lot may complete it.
            Plan plan;
            if (request.Request.AllowPartial)
            {
                plan = new Plan(request);
                plan.TryTake(new Candidate(lot, assessment, member));
            }
            else
            {
                plan = PlanFor(request);
                if (!plan.IsComplete)
                {
                    continue;
                }
            }

            var made = Apply(plan);
            fills.AddRange(made);
            dealt |= made.Count > 0;
        }

        return dealt;
    }

    /// <summary>A position in one shelf's price levels during a merge.</summary>
    private struct ShelfCursor(PlaceShelf shelf, long transportVndPerKg)
    {
        public PlaceShelf Shelf { get; } = shelf;
        public int Level { get; set; }
        public readonly long Landed => Shelf.Level(Level).Ask + transportVndPerKg;
    }
}
