using CoopMarket.Matching;
using static CoopMarket.Matching.Tests.District;

namespace CoopMarket.Matching.Tests;

/// <summary>A chain of three small member cooperatives and one large outsider, the district report's problem in
/// miniature: on price alone the outsider takes everything.</summary>
public sealed class AllocationPolicyTests
{
    private const string Chain = "chain-dragon-fruit";

    private static Book BookWithChain()
    {
        var book = DragonFruitBook();
        book.PostLot(Lot("outsider", 10_000, 24_000, cooperative: "big-farm"));
        book.PostLot(Lot("member-a", 1_000, 25_000, cooperative: "htx-a", chains: [Chain]));
        book.PostLot(Lot("member-b", 2_000, 25_500, cooperative: "htx-b", chains: [Chain]));
        book.PostLot(Lot("member-c", 3_000, 26_000, cooperative: "tht-c", chains: [Chain]));
        return book;
    }

    private static List<(string LotId, long QuantityGrams)> Place(Book book, decimal kg, AllocationPolicy policy, decimal capShare = 1m) =>
        book.PlaceRequest(Request("r", kg, 30_000, chain: new ChainTerms(Chain, policy, capShare))).Fills
            .Select(f => (f.LotId, f.QuantityGrams)).ToList();

    [Fact]
    public void PriceTime_ignores_the_chain_and_takes_the_cheapest()
    {
        Assert.Equal([("outsider", Kg(3_000))], Place(BookWithChain(), 3_000, AllocationPolicy.PriceTime));
    }

    [Fact]
    public void ChainOnly_takes_members_only_in_price_order_and_rests_the_rest()
    {
        var book = BookWithChain();

        Assert.Equal([("member-a", Kg(1_000)), ("member-b", Kg(2_000)), ("member-c", Kg(3_000))], Place(book, 7_000, AllocationPolicy.ChainOnly));
        Assert.Equal(Kg(1_000), book.FindRequest("r")!.RemainingGrams);
        Assert.Equal(Kg(10_000), book.FindLot("outsider")!.RemainingGrams);
    }

    [Fact]
    public void ChainFirst_takes_members_first_then_the_open_market()
    {
        Assert.Equal([("member-a", Kg(1_000)), ("member-b", Kg(2_000)), ("member-c", Kg(3_000)), ("outsider", Kg(1_000))],
            Place(BookWithChain(), 7_000, AllocationPolicy.ChainFirst));
    }

    [Fact]
    public void ProRata_splits_in_proportion_to_what_each_member_has()
    {
        // 1,000 : 2,000 : 3,000 kg available, 3,000 kg wanted: half of each.
        Assert.Equal([("member-a", Kg(500)), ("member-b", Kg(1_000)), ("member-c", Kg(1_500))],
            Place(BookWithChain(), 3_000, AllocationPolicy.ProRata));
    }

    [Fact]
    public void ProRata_hands_out_the_remainder_gram_by_gram_to_the_largest_fractions()
    {
        var book = DragonFruitBook();
        foreach (var id in new[] { "x", "y", "z" })
        {
            book.PostLot(Lot(id, 1, 25_000, chains: [Chain]));
        }

        // 2 grams over three 1 kg lots: each is owed 0.667 g; the two best-ranked (earliest) get the whole grams.
        var fills = book.PlaceRequest(Request("r", 0.002m, 30_000, chain: new ChainTerms(Chain, AllocationPolicy.ProRata))).Fills;

        Assert.Equal([("x", 1L), ("y", 1L)], fills.Select(f => (f.LotId, f.QuantityGrams)));
    }

    [Fact]
    public void ProRata_drops_a_member_whose_share_is_below_its_minimum_order_and_splits_again()
    {
        var book = DragonFruitBook();
        book.PostLot(Lot("small-share", 1_000, 25_000, chains: [Chain], minOrderKg: 800));
        book.PostLot(Lot("p", 1_000, 25_000, chains: [Chain]));
        book.PostLot(Lot("q", 2_000, 25_000, chains: [Chain]));

        var fills = book.PlaceRequest(Request("r", 2_000, 30_000, chain: new ChainTerms(Chain, AllocationPolicy.ProRata))).Fills;

        Assert.Equal([("p", 666_667L), ("q", 1_333_333L)], fills.Select(f => (f.LotId, f.QuantityGrams)));
    }

    [Fact]
    public void Capped_lets_no_cooperative_take_more_than_its_share_of_one_request()
    {
        var book = BookWithChain();

        var fills = Place(book, 5_000, AllocationPolicy.Capped, capShare: 0.4m);

        // 40 % of 5,000 kg is 2,000 kg: member-c is capped, and the outsider is capped too.
        Assert.Equal([("member-a", Kg(1_000)), ("member-b", Kg(2_000)), ("member-c", Kg(2_000))], fills);
    }

    [Fact]
    public void Capped_remembers_what_a_cooperative_took_across_arrivals()
    {
        var book = DragonFruitBook();
        book.PlaceRequest(Request("r", 1_000, 30_000, chain: new ChainTerms(Chain, AllocationPolicy.Capped, 0.5m)));

        var first = book.PostLot(Lot("one", 400, 25_000, cooperative: "htx"));
        var second = book.PostLot(Lot("two", 400, 25_000, cooperative: "htx"));
        var third = book.PostLot(Lot("three", 800, 25_000, cooperative: "other"));

        Assert.Equal(Kg(400), Assert.Single(first.Fills).QuantityGrams);
        Assert.Equal(Kg(100), Assert.Single(second.Fills).QuantityGrams);
        Assert.Equal(Kg(500), Assert.Single(third.Fills).QuantityGrams);
    }

    [Fact]
    public void A_members_only_request_is_not_filled_by_an_outsider_arriving_later()
    {
        var book = DragonFruitBook();
        book.PlaceRequest(Request("r", 100, 30_000, chain: new ChainTerms(Chain, AllocationPolicy.ChainOnly)));

        Assert.Empty(book.PostLot(Lot("outsider", 100, 20_000)).Fills);
        Assert.Single(book.PostLot(Lot("member", 100, 25_000, chains: [Chain])).Fills);
    }
}
