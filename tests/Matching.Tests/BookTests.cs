using CoopMarket.Matching;
using static CoopMarket.Matching.Tests.District;

namespace CoopMarket.Matching.Tests;

public sealed class BookTests
{
    private static readonly ChainTerms DragonFruitChain = new("chain-dragon-fruit", AllocationPolicy.ChainFirst);

    [Fact]
    public void Ha_Noi_supermarket_is_filled_from_Dong_Lai_and_another_chain_member()
    {
        var book = DragonFruitBook();
        book.PostLot(Lot("dong-lai", 3_000, 25_000, cooperative: "htx-dong-lai", certifications: [VietGap], chains: ["chain-dragon-fruit"]));
        book.PostLot(Lot("tht-dong-lai", 4_000, 26_000, cooperative: "tht-dong-lai", certifications: [VietGap], chains: ["chain-dragon-fruit"]));

        var outcome = book.PlaceRequest(Request("supermarket", 5_000, 30_000, required: CertificationScheme.VietGAP, chain: DragonFruitChain));

        Assert.Equal(0, outcome.RemainingGrams);
        Assert.Collection(outcome.Fills,
            first =>
            {
                Assert.Equal(("dong-lai", Kg(3_000), 25_000L), (first.LotId, first.QuantityGrams, first.PriceVndPerKg));
                Assert.Equal(Dec(15), first.DeliverOn);
                Assert.True(first.Reason.ChainMember);
                Assert.Equal(25_000 + first.TransportVndPerKg, first.Reason.LandedVndPerKg);
            },
            second => Assert.Equal(("tht-dong-lai", Kg(2_000), 26_000L), (second.LotId, second.QuantityGrams, second.PriceVndPerKg)));
        Assert.Equal(0, book.FindLot("dong-lai")!.RemainingGrams);
        Assert.Equal(Kg(2_000), book.FindLot("tht-dong-lai")!.RemainingGrams);
    }

    [Fact]
    public void Transport_from_Dong_Lai_to_Ha_Noi_is_priced_by_road_distance_and_takes_a_day()
    {
        var route = Route.Between(DongLai, HaNoi, MarketRules.Default);

        // About 70 km as the crow flies, 1.3 times that by road, 3 VND per kg and km.
        Assert.InRange(route.RoadKm, 85, 100);
        Assert.Equal(route.RoadKm * 3, route.TransportVndPerKg);
        Assert.Equal(1, route.TransitDays);
        Assert.Equal(default, Route.Between(DongLai, DongLai, MarketRules.Default));
    }

    [Fact]
    public void The_match_explains_itself_by_every_key_it_ranked_on()
    {
        var book = DragonFruitBook();
        book.PostLot(Lot("other", 3_000, 25_000));
        book.PostLot(Lot("dong-lai", 3_000, 25_000));
        book.WithdrawLot("other");

        var fill = Assert.Single(book.PlaceRequest(Request("r", 1_000, 30_000)).Fills);

        var route = Route.Between(DongLai, HaNoi, MarketRules.Default);
        Assert.Equal(new MatchReason(AllocationPolicy.PriceTime, ChainMember: false, 25_000 + route.TransportVndPerKg, 25_000,
            route.TransportVndPerKg, route.RoadKm, ShelfDaysLeftAtDelivery: 17, LotSequence: 2), fill.Reason); // harvested 14 Dec, one day on the road, 18 days of shelf life
        Assert.Equal(Dec(14), fill.HarvestOn);
    }

    [Fact]
    public void Thanh_Hoi_passion_fruit_is_too_old_for_a_late_delivery_window()
    {
        var book = new Book("passion-fruit", shelfLifeDays: 10);
        var early = new DateWindow(Nov(1), Nov(5));
        book.PostLot(Lot("thanh-hoi", 2_000, 18_000, product: "passion-fruit", harvest: early, pickup: ThanhHoi));

        var late = book.PlaceRequest(Request("late", 500, 40_000, product: "passion-fruit", delivery: new DateWindow(Nov(20), Nov(30))));
        var inTime = book.PlaceRequest(Request("in-time", 500, 40_000, product: "passion-fruit", delivery: new DateWindow(Nov(12), Nov(30))));

        Assert.Empty(late.Fills);
        Assert.Equal(Kg(500), late.RemainingGrams);
        var fill = Assert.Single(inTime.Fills);
        Assert.Equal((Nov(12), Nov(5)), (fill.DeliverOn, fill.HarvestOn));
        Assert.Equal(3, fill.Reason.ShelfDaysLeftAtDelivery);
    }

    [Fact]
    public void A_level_whose_freshest_lots_cannot_serve_is_ranked_whole_and_an_older_lot_waits_behind_a_fresh_one()
    {
        var book = DragonFruitBook();
        book.PostLot(Lot("older", 1_000, 25_000, harvest: new DateWindow(Dec(1), Dec(5)))); // 8 days left on 15 Dec
        book.PostLot(Lot("large-orders-only", 1_000, 25_000, minOrderKg: 500)); // 17 days left, as fresh as any lot can be
        book.PostLot(Lot("fresh", 1_000, 25_000)); // 17 days left

        // The second lot alone has what the request needs at the best freshness, but refuses an order of 100 kg: the third,
        // as fresh, comes before the first.
        var fill = Assert.Single(book.PlaceRequest(Request("r", 100, 30_000)).Fills);

        Assert.Equal(("fresh", 17), (fill.LotId, fill.Reason.ShelfDaysLeftAtDelivery));
    }

    [Fact]
    public void A_shortened_shelf_life_holds_from_the_next_match_on()
    {
        var book = new Book("passion-fruit", shelfLifeDays: 10);
        book.PostLot(Lot("thanh-hoi", 2_000, 18_000, product: "passion-fruit", harvest: new DateWindow(Nov(1), Nov(5)), pickup: ThanhHoi));
        var window = new DateWindow(Nov(12), Nov(30));

        var before = book.PlaceRequest(Request("before", 500, 40_000, product: "passion-fruit", delivery: window));
        book.ChangeShelfLife(5);
        var after = book.PlaceRequest(Request("after", 500, 40_000, product: "passion-fruit", delivery: window));

        Assert.Single(before.Fills);
        Assert.Empty(after.Fills);
        Assert.Throws<ArgumentOutOfRangeException>(() => book.ChangeShelfLife(-1));
        Assert.Equal(5, book.ShelfLifeDays);
    }

    [Fact]
    public void An_OCOP_four_star_requirement_rejects_a_three_star_lot()
    {
        var book = DragonFruitBook();
        book.PostLot(Lot("three-stars", 1_000, 20_000, certifications: [new Certification(CertificationScheme.Ocop, Stars: 3)]));

        var fourStars = book.PlaceRequest(Request("four", 100, 30_000, minOcopStars: 4));
        var threeStars = book.PlaceRequest(Request("three", 100, 30_000, minOcopStars: 3));

        Assert.Empty(fourStars.Fills);
        Assert.Single(threeStars.Fills);
    }

    [Fact]
    public void A_certificate_must_still_be_valid_on_the_delivery_day()
    {
        var book = DragonFruitBook();
        book.PostLot(Lot("lapsing", 1_000, 20_000, certifications: [new Certification(CertificationScheme.VietGAP, ValidUntil: Dec(14))]));
        book.PostLot(Lot("lasting", 1_000, 21_000, certifications: [new Certification(CertificationScheme.VietGAP, ValidUntil: Dec(31))]));

        var fill = Assert.Single(book.PlaceRequest(Request("r", 500, 30_000, required: CertificationScheme.VietGAP)).Fills);

        Assert.Equal("lasting", fill.LotId);
    }

    [Fact]
    public void A_lot_below_the_minimum_grade_or_above_the_price_once_transport_is_added_does_not_match()
    {
        var book = DragonFruitBook();
        book.PostLot(Lot("grade-b", 1_000, 20_000, grade: Grade.B));
        book.PostLot(Lot("dear", 1_000, 29_900));

        var outcome = book.PlaceRequest(Request("r", 500, 30_000, minGrade: Grade.A));

        Assert.Empty(outcome.Fills);
        Assert.Single(book.PlaceRequest(Request("r2", 500, 30_000, minGrade: Grade.B)).Fills);
    }

    [Fact]
    public void Cheapest_landed_cost_wins_then_freshest_then_earliest()
    {
        var book = DragonFruitBook();
        var transport = Route.Between(DongLai, HaNoi, MarketRules.Default).TransportVndPerKg;
        book.PostLot(Lot("far-and-cheap", 100, 25_000, pickup: HoChiMinhCity, harvest: new DateWindow(Dec(1), Dec(20))));
        book.PostLot(Lot("early-old", 100, 25_000, harvest: new DateWindow(Dec(1), Dec(2))));
        book.PostLot(Lot("later-fresh", 100, 25_000, harvest: new DateWindow(Dec(1), Dec(12))));
        book.PostLot(Lot("latest-fresh", 100, 25_000, harvest: new DateWindow(Dec(1), Dec(12))));
        book.PostLot(Lot("cheaper", 100, 24_000));

        var fills = book.PlaceRequest(Request("r", 400, 25_000 + transport)).Fills;

        Assert.Equal(["cheaper", "later-fresh", "latest-fresh", "early-old"], fills.Select(f => f.LotId));
    }

    [Fact]
    public void A_new_lot_fills_resting_requests_highest_price_first_then_earliest()
    {
        var book = DragonFruitBook();
        book.PlaceRequest(Request("low", 100, 26_000));
        book.PlaceRequest(Request("high-first", 100, 29_000));
        book.PlaceRequest(Request("high-second", 100, 29_000));
        book.PlaceRequest(Request("too-low", 100, 25_100));

        var outcome = book.PostLot(Lot("lot", 250, 25_000));

        Assert.Equal(["high-first", "high-second", "low"], outcome.Fills.Select(f => f.RequestId));
        Assert.Equal([Kg(100), Kg(100), Kg(50)], outcome.Fills.Select(f => f.QuantityGrams));
        Assert.Equal(Kg(50), book.FindRequest("low")!.RemainingGrams);
        Assert.Equal(Kg(100), book.FindRequest("too-low")!.RemainingGrams);
    }

    [Fact]
    public void All_or_none_rests_untouched_until_the_whole_quantity_can_be_gathered()
    {
        var book = DragonFruitBook();
        book.PostLot(Lot("a", 600, 25_000));

        var placed = book.PlaceRequest(Request("aon", 1_000, 30_000, allowPartial: false));
        Assert.Empty(placed.Fills);
        Assert.Equal(Kg(600), book.FindLot("a")!.RemainingGrams);

        var completed = book.PostLot(Lot("b", 500, 26_000));

        Assert.Equal([("a", Kg(600)), ("b", Kg(400))], completed.Fills.Select(f => (f.LotId, f.QuantityGrams)));
        Assert.Equal(0, book.FindRequest("aon")!.RemainingGrams);
    }

    [Fact]
    public void A_lot_minimum_order_is_honoured_unless_the_deal_empties_the_lot()
    {
        var book = DragonFruitBook();
        book.PostLot(Lot("wholesale", 2_000, 24_000, minOrderKg: 1_000));
        book.PostLot(Lot("retail", 2_000, 25_000));

        var small = book.PlaceRequest(Request("small", 300, 30_000));
        var large = book.PlaceRequest(Request("large", 1_500, 30_000));

        Assert.Equal("retail", Assert.Single(small.Fills).LotId);
        Assert.Equal(("wholesale", Kg(1_500)), (Assert.Single(large.Fills).LotId, large.Fills[0].QuantityGrams));
        var rest = book.PlaceRequest(Request("rest", 600, 30_000)).Fills;
        Assert.Equal(("wholesale", Kg(500)), (rest[0].LotId, rest[0].QuantityGrams)); // 500 kg left < 1,000 kg minimum: it may go whole
    }

    [Fact]
    public void Withdraw_and_cancel_remove_only_the_unmatched_rest()
    {
        var book = DragonFruitBook();
        book.PostLot(Lot("lot", 1_000, 25_000));
        book.PlaceRequest(Request("request", 1_500, 30_000));

        Assert.Equal(0, book.WithdrawLot("lot"));
        Assert.Equal(Kg(500), book.CancelRequest("request"));
        Assert.Null(book.WithdrawLot("lot"));
        Assert.Null(book.CancelRequest("unknown"));
        Assert.Empty(book.Lots);
        Assert.Empty(book.Requests);
    }

    [Fact]
    public void A_returned_fill_gives_back_its_grams_and_the_lot_keeps_its_place_in_time()
    {
        var book = DragonFruitBook();
        book.PostLot(Lot("first", 100, 25_000));
        book.PostLot(Lot("second", 100, 25_000));
        var rejected = Assert.Single(book.PlaceRequest(Request("rejected", 100, 30_000)).Fills);
        Assert.Equal("first", rejected.LotId);

        Assert.Equal(new ReturnOutcome(true, true), book.ReturnFill(rejected));
        book.CancelRequest("rejected");

        Assert.Equal(Kg(100), book.FindLot("first")!.RemainingGrams);
        Assert.Equal("first", Assert.Single(book.PlaceRequest(Request("next", 100, 30_000)).Fills).LotId);
    }

    [Fact]
    public void A_returned_fill_gives_the_request_back_its_place_in_time_ahead_of_later_requests()
    {
        var book = DragonFruitBook();
        book.PlaceRequest(Request("older", 100, 30_000));
        book.PlaceRequest(Request("later", 100, 30_000));
        var rejected = Assert.Single(book.PostLot(Lot("rejected", 100, 25_000)).Fills);
        Assert.Equal("older", rejected.RequestId);

        book.ReturnFill(rejected);
        book.WithdrawLot("rejected");

        Assert.Equal("older", Assert.Single(book.PostLot(Lot("next", 100, 25_000)).Fills).RequestId);
    }

    [Fact]
    public void A_return_to_a_withdrawn_lot_leaves_the_market()
    {
        var book = DragonFruitBook();
        book.PostLot(Lot("lot", 100, 25_000));
        var fill = Assert.Single(book.PlaceRequest(Request("r", 60, 30_000)).Fills);
        book.WithdrawLot("lot");

        Assert.Equal(new ReturnOutcome(false, true), book.ReturnFill(fill));
        Assert.Equal(Kg(60), book.FindRequest("r")!.RemainingGrams);
        Assert.Throws<ArgumentException>(() => book.ReturnFill(fill with { QuantityGrams = Kg(1) }));
    }

    [Fact]
    public void Lots_at_one_price_stay_in_arrival_order_through_many_withdrawals_and_returns()
    {
        var book = DragonFruitBook();
        for (var i = 0; i < 60; i++)
        {
            book.PostLot(Lot($"lot-{i:00}", 10, 25_000));
        }

        var sold = book.PlaceRequest(Request("takes-first-five", 50, 30_000)).Fills;
        // Enough withdrawals that the price level compacts away its dead entries, sold lots included.
        foreach (var i in Enumerable.Range(5, 40).Where(i => i % 4 != 0))
        {
            book.WithdrawLot($"lot-{i:00}");
        }

        book.ReturnFill(sold[3]);
        book.ReturnFill(sold[0]);
        book.CancelRequest("takes-first-five");

        var expected = ((string[])["lot-00", "lot-03"]).Concat(Enumerable.Range(5, 40).Where(i => i % 4 == 0).Select(i => $"lot-{i:00}"))
            .Concat(Enumerable.Range(45, 15).Select(i => $"lot-{i:00}"));
        var fills = book.PlaceRequest(Request("takes-all", 1_000, 30_000)).Fills;
        Assert.Equal(expected, fills.Select(f => f.LotId));
    }

    [Fact]
    public void Restored_books_keep_arrival_order_and_do_not_match_on_restore()
    {
        var book = DragonFruitBook();
        book.RestoreRequest(new OpenRequest(Request("resting", 100, 30_000), 7, Kg(100), new Dictionary<string, long>()));
        book.RestoreLot(new OpenLot(Lot("old", 100, 25_000), 3, Kg(100)));

        Assert.Equal(8, book.NextSequence);
        Assert.Equal(Kg(100), book.FindRequest("resting")!.RemainingGrams);
        var outcome = book.PostLot(Lot("new", 100, 25_000));
        Assert.Equal(8, outcome.Sequence);
    }

    [Theory]
    [InlineData(0L, 25_000L)]
    [InlineData(-1L, 25_000L)]
    [InlineData(10_000_001L, 25_000L)]
    [InlineData(100L, 0L)]
    [InlineData(100L, 10_000_001L)]
    public void Invalid_lots_are_refused_and_change_nothing(long kg, long ask)
    {
        var book = DragonFruitBook();

        Assert.Throws<ArgumentException>(() => book.PostLot(Lot("bad", kg, ask)));
        Assert.Throws<ArgumentException>(() => book.PostLot(Lot("reversed", 1, 1, harvest: new DateWindow(Dec(20), Dec(10)))));
        Assert.Throws<ArgumentException>(() => book.PostLot(Lot("pomelo", 1, 1, product: "red-pomelo")));
        Assert.Empty(book.Lots);
        Assert.Equal(1, book.NextSequence);
    }

    [Fact]
    public void Invalid_requests_and_duplicate_ids_are_refused_and_change_nothing()
    {
        var book = DragonFruitBook();
        book.PostLot(Lot("lot", 100, 25_000));

        Assert.Throws<ArgumentException>(() => book.PlaceRequest(Request("reversed", 10, 30_000, delivery: new DateWindow(Dec(28), Dec(15)))));
        Assert.Throws<ArgumentException>(() => book.PlaceRequest(Request("stars", 10, 30_000, minOcopStars: 6)));
        Assert.Throws<ArgumentException>(() => book.PlaceRequest(Request("cap", 10, 30_000, chain: new ChainTerms("c", AllocationPolicy.Capped, 0))));
        Assert.Throws<ArgumentException>(() => book.PostLot(Lot("lot", 100, 25_000)));

        Assert.Empty(book.Requests);
        Assert.Equal(Kg(100), Assert.Single(book.Lots).RemainingGrams);
    }
}
