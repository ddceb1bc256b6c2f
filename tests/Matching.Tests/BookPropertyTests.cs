using CoopMarket.Matching;
using CsCheck;

namespace CoopMarket.Matching.Tests;

/// <summary>Random books and operation sequences, checked after every step against a ledger kept beside the book
/// and against the brute-force <see cref="Oracle"/>.</summary>
public sealed class BookPropertyTests
{
    private const int ShelfLifeDays = 12;
    private const string Chain = "chain";

    private static readonly Place[] Places =
    [
        new("Đông Lai", 20.680, 105.300), new("Thanh Hối", 20.640, 105.280), new("Hà Nội", 21.028, 105.854),
        new("Hải Phòng", 20.845, 106.688), new("Thành phố Hồ Chí Minh", 10.776, 106.700),
    ];

    private static readonly DateOnly Start = new(2026, 12, 1);

    private abstract record Op;

    private sealed record PostLot(SupplyLot Lot) : Op;

    private sealed record PlaceRequest(PurchaseRequest Request) : Op;

    private sealed record Withdraw(int Pick) : Op;

    private sealed record Cancel(int Pick) : Op;

    private sealed record ReturnFill(int Pick) : Op;

    private static readonly Gen<Certification[]> GenCertifications =
        Gen.Select(Gen.Int[0, 7], Gen.Int[0, 5], Gen.Int[-1, 30], (mask, stars, expiry) =>
        {
            DateOnly? until = expiry < 0 ? null : Start.AddDays(expiry);
            var list = new List<Certification>();
            if ((mask & 1) != 0) list.Add(new Certification(CertificationScheme.VietGAP, ValidUntil: until));
            if ((mask & 2) != 0) list.Add(new Certification(CertificationScheme.Organic));
            if (stars > 0) list.Add(new Certification(CertificationScheme.Ocop, stars, (mask & 4) != 0 ? until : null));
            return list.ToArray();
        });

    private static readonly Gen<Op> GenPostLot =
        Gen.Select(Gen.Int[0, Places.Length - 1], Gen.Long[1, 40_000], Gen.Int[0, 4], Gen.Int[0, 2], GenCertifications,
                Gen.Int[0, 20], Gen.Int[0, 6], Gen.Select(Gen.Int[0, 3], Gen.Bool, Gen.Int[0, 3]))
            .Select(t =>
            {
                var (place, grams, askStep, grade, certifications, harvestStart, harvestDays, (minOrderKg, member, cooperative)) = t;
                return (Op)new PostLot(new SupplyLot("?", $"coop-{cooperative}", "dragon-fruit", grams, (Grade)grade, certifications,
                    new DateWindow(Start.AddDays(harvestStart), Start.AddDays(harvestStart + harvestDays)), 20_000 + 500 * askStep,
                    Math.Min(grams, minOrderKg * 5_000), Places[place], member ? new HashSet<string> { Chain } : []));
            });

    private static readonly Gen<Op> GenPlaceRequest =
        Gen.Select(Gen.Int[0, Places.Length - 1], Gen.Long[1, 60_000], Gen.Int[0, 12], Gen.Int[0, 2], Gen.Int[0, 3],
                Gen.Int[0, 25], Gen.Int[0, 8], Gen.Select(Gen.Int[0, 5], Gen.Int[0, 5], Gen.Int[0, 9]))
            .Select(t =>
            {
                var (place, grams, priceStep, grade, certs, deliverStart, deliverDays, (policy, stars, flags)) = t;
                var chain = policy == 5 ? null : new ChainTerms(Chain, (AllocationPolicy)policy, policy == (int)AllocationPolicy.Capped ? 0.5m : 1m);
                var required = (certs & 1) != 0 ? CertificationScheme.VietGAP : CertificationScheme.None;
                return (Op)new PlaceRequest(new PurchaseRequest("?", $"buyer-{flags % 3}", "dragon-fruit", grams, (Grade)grade,
                    required | ((certs & 2) != 0 ? CertificationScheme.Organic : CertificationScheme.None), stars > 3 ? stars - 1 : 0,
                    new DateWindow(Start.AddDays(deliverStart), Start.AddDays(deliverStart + deliverDays)), 20_000 + 800 * priceStep,
                    Places[place], AllowPartial: flags > 1, chain));
            });

    private static readonly Gen<Op> GenOp = Gen.Frequency(
        (5, GenPostLot),
        (5, GenPlaceRequest),
        (1, Gen.Int[0, 1000].Select(i => (Op)new Withdraw(i))),
        (1, Gen.Int[0, 1000].Select(i => (Op)new Cancel(i))),
        (2, Gen.Int[0, 1000].Select(i => (Op)new ReturnFill(i))));

    private static readonly Gen<Op[]> GenScenario = GenOp.Array[1, 80];

    [Fact]
    public void Every_step_conserves_quantity_and_makes_only_compatible_matches_in_priority_order() =>
        GenScenario.Sample(ops => new Ledger().Run(ops, check: true), iter: 400);

    [Fact]
    public void The_same_operations_give_the_same_fills() =>
        GenScenario.Sample(ops =>
        {
            var first = new Ledger().Run(ops, check: false);
            var second = new Ledger().Run(ops, check: false);
            Assert.Equal(first, second);
        }, iter: 200);

    /// <summary>Drives a book and keeps, beside it, what every lot and request was and what was dealt from it.</summary>
    private sealed class Ledger
    {
        private readonly Book book = new("dragon-fruit", ShelfLifeDays);
        private readonly Dictionary<string, SupplyLot> lots = [];
        private readonly Dictionary<string, PurchaseRequest> requests = [];
        private readonly Dictionary<string, long> dealtFromLot = [];
        private readonly Dictionary<string, long> dealtToRequest = [];
        private readonly HashSet<string> closed = [];
        private readonly List<Fill> openFills = [];
        private readonly List<Fill> history = [];
        private int nextId;

        public List<Fill> Run(IEnumerable<Op> ops, bool check)
        {
            foreach (var op in ops)
            {
                var before = book.Lots.ToDictionary(l => l.Lot.Id);
                var fills = Step(op);
                history.AddRange(fills);
                if (check)
                {
                    CheckFills(fills, before);
                    CheckPriority(op, fills, before);
                    CheckLotPriority(op, fills);
                    CheckLedger();
                }
            }

            return history;
        }

        private IReadOnlyList<Fill> Step(Op op)
        {
            switch (op)
            {
                case PostLot(var lot):
                    lot = lot with { Id = $"lot-{nextId++}" };
                    lots.Add(lot.Id, lot);
                    return Record(book.PostLot(lot).Fills);
                case PlaceRequest(var request):
                    request = request with { Id = $"request-{nextId++}" };
                    requests.Add(request.Id, request);
                    return Record(book.PlaceRequest(request).Fills);
                case Withdraw(var pick) when lots.Count > 0:
                    var lotId = lots.Keys.ElementAt(pick % lots.Count);
                    var withdrawn = book.WithdrawLot(lotId);
                    Assert.Equal(closed.Contains(lotId) ? null : lots[lotId].QuantityGrams - dealtFromLot.GetValueOrDefault(lotId), withdrawn);
                    closed.Add(lotId);
                    return [];
                case Cancel(var pick) when requests.Count > 0:
                    var requestId = requests.Keys.ElementAt(pick % requests.Count);
                    var cancelled = book.CancelRequest(requestId);
                    Assert.Equal(closed.Contains(requestId) ? null : requests[requestId].QuantityGrams - dealtToRequest.GetValueOrDefault(requestId), cancelled);
                    closed.Add(requestId);
                    return [];
                case ReturnFill(var pick) when openFills.Count > 0:
                    var fill = openFills[pick % openFills.Count];
                    openFills.Remove(fill);
                    var outcome = book.ReturnFill(fill);
                    Assert.Equal(new ReturnOutcome(!closed.Contains(fill.LotId), !closed.Contains(fill.RequestId)), outcome);
                    dealtFromLot[fill.LotId] -= fill.QuantityGrams;
                    dealtToRequest[fill.RequestId] -= fill.QuantityGrams;
                    return [];
                default:
                    return [];
            }
        }

        private IReadOnlyList<Fill> Record(IReadOnlyList<Fill> fills)
        {
            foreach (var fill in fills)
            {
                dealtFromLot[fill.LotId] = dealtFromLot.GetValueOrDefault(fill.LotId) + fill.QuantityGrams;
                dealtToRequest[fill.RequestId] = dealtToRequest.GetValueOrDefault(fill.RequestId) + fill.QuantityGrams;
                openFills.Add(fill);
            }

            return fills;
        }

        private void CheckLedger()
        {
            foreach (var (id, lot) in lots)
            {
                var dealt = dealtFromLot.GetValueOrDefault(id);
                Assert.InRange(dealt, 0, lot.QuantityGrams);
                if (!closed.Contains(id))
                {
                    Assert.Equal(lot.QuantityGrams - dealt, book.FindLot(id)!.RemainingGrams);
                }
            }

            foreach (var (id, request) in requests)
            {
                var dealt = dealtToRequest.GetValueOrDefault(id);
                Assert.InRange(dealt, 0, request.QuantityGrams);
                if (!closed.Contains(id))
                {
                    Assert.Equal(request.QuantityGrams - dealt, book.FindRequest(id)!.RemainingGrams);
                }

                if (request.Chain is { Policy: AllocationPolicy.Capped } chain)
                {
                    foreach (var perCooperative in openFills.Where(f => f.RequestId == id).GroupBy(f => f.CooperativeId))
                    {
                        Assert.True(perCooperative.Sum(f => f.QuantityGrams) <= chain.CapGrams(request.QuantityGrams));
                    }
                }
            }
        }

        private void CheckFills(IReadOnlyList<Fill> fills, Dictionary<string, OpenLot> before)
        {
            // A new lot is not in the snapshot; a lot filling several requests has less left for each next one.
            var left = new Dictionary<string, long>();
            foreach (var fill in fills)
            {
                Assert.DoesNotContain(fill.LotId, closed);
                Assert.DoesNotContain(fill.RequestId, closed);
                var lot = before.TryGetValue(fill.LotId, out var open) ? open : new OpenLot(lots[fill.LotId], 0, lots[fill.LotId].QuantityGrams);
                var remaining = left.GetValueOrDefault(fill.LotId, lot.RemainingGrams);
                var request = requests[fill.RequestId];
                Assert.NotNull(Oracle.Rank(lot, request, ShelfLifeDays));
                Assert.Equal(lot.Lot.AskVndPerKg, fill.PriceVndPerKg);
                Assert.True(fill.QuantityGrams >= Math.Min(lot.Lot.MinOrderGrams, remaining), "a deal below the lot's minimum order");
                left[fill.LotId] = remaining - fill.QuantityGrams;
            }

            foreach (var byRequest in fills.GroupBy(f => f.RequestId))
            {
                var request = requests[byRequest.Key];
                Assert.True(request.AllowPartial || dealtToRequest[request.Id] == request.QuantityGrams, "all-or-none filled in part");
            }
        }

        /// <summary>A new lot serves the highest price first, then the earliest; a lot left over could serve no one resting.</summary>
        private void CheckLotPriority(Op op, IReadOnlyList<Fill> fills)
        {
            if (op is not PostLot || book.FindLot(lots.Keys.Last()) is not { } lot)
            {
                return;
            }

            // Out of order only on a second walk: once the rest fell below the lot's minimum order, or for an
            // all-or-none request, which is planned against the whole book again on every walk.
            var quantity = lot.Lot.QuantityGrams;
            var ownFills = fills.Where(f => f.LotId == lot.Lot.Id).ToList();
            for (var i = 0; i < ownFills.Count; i++)
            {
                if (i > 0 && Priority(ownFills[i]).CompareTo(Priority(ownFills[i - 1])) < 0)
                {
                    Assert.True(quantity < lot.Lot.MinOrderGrams || !requests[ownFills[i].RequestId].AllowPartial,
                        $"request {ownFills[i].RequestId} served out of priority order");
                }

                quantity -= ownFills[i].QuantityGrams;
            }

            if (lot.RemainingGrams == 0)
            {
                return;
            }

            foreach (var resting in book.Requests.Where(r => r.RemainingGrams > 0 && r.Request.AllowPartial
                && r.Request.Policy is AllocationPolicy.PriceTime or AllocationPolicy.ChainFirst or AllocationPolicy.ChainOnly))
            {
                Assert.False(Oracle.Rank(lot, resting.Request, ShelfLifeDays) is not null
                    && Math.Min(resting.RemainingGrams, lot.RemainingGrams) >= Math.Min(lot.Lot.MinOrderGrams, lot.RemainingGrams),
                    $"lot {lot.Lot.Id} keeps {lot.RemainingGrams} g while compatible request {resting.Request.Id} rests");
            }
        }

        private (long, long) Priority(Fill fill) => (-requests[fill.RequestId].MaxVndPerKg, book.FindRequest(fill.RequestId)!.Sequence);

        /// <summary>A price-time request takes the best-ranked lots; whatever it leaves it could not have taken.</summary>
        private void CheckPriority(Op op, IReadOnlyList<Fill> fills, Dictionary<string, OpenLot> before)
        {
            if (op is not PlaceRequest || requests.Values.Last() is not { Policy: AllocationPolicy.PriceTime, AllowPartial: true } request)
            {
                return;
            }

            var taken = fills.Select(f => Oracle.Rank(before[f.LotId], request, ShelfLifeDays)!.Value).ToList();
            Assert.Equal(taken.Order(), taken);
            var remaining = book.FindRequest(request.Id)!.RemainingGrams;
            foreach (var left in book.Lots.Where(l => l.RemainingGrams > 0 && fills.All(f => f.LotId != l.Lot.Id)))
            {
                if (Oracle.Rank(left, request, ShelfLifeDays) is not { } rank)
                {
                    continue;
                }

                Assert.False(remaining > 0 && Math.Min(remaining, left.RemainingGrams) >= Math.Min(left.Lot.MinOrderGrams, left.RemainingGrams),
                    $"request {request.Id} rests with {remaining} g while compatible lot {left.Lot.Id} has {left.RemainingGrams} g");
                if (left.Lot.MinOrderGrams == 0)
                {
                    Assert.All(taken, t => Assert.True(t.CompareTo(rank) < 0, $"lot {left.Lot.Id} ranks before a lot that was taken"));
                }
            }
        }
    }
}
