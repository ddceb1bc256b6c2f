using CoopMarket.Matching;
using static CoopMarket.Matching.Tests.District;

namespace CoopMarket.Matching.Tests;

/// <summary>The market has a today: nothing is delivered in the past, and produce past its life leaves the book.</summary>
public sealed class MarketTodayTests
{
    [Fact]
    public void A_deal_is_delivered_no_earlier_than_today_plus_transit()
    {
        var book = DragonFruitBook();
        book.Today = Dec(24);
        book.PostLot(Lot("old-harvest", 100, 25_000, harvest: new DateWindow(Dec(10), Dec(12))));

        // Window opened 15 Dec; without a today the deal would be delivered on 15 Dec, nine days ago.
        var fill = Assert.Single(book.PlaceRequest(Request("r", 100, 30_000, delivery: new DateWindow(Dec(15), Dec(28)))).Fills);

        Assert.Equal(Dec(25), fill.DeliverOn); // one day from Đông Lai to Hà Nội
        Assert.Equal(Dec(12), fill.HarvestOn);
        Assert.Equal(5, fill.Reason.ShelfDaysLeftAtDelivery);
    }

    [Fact]
    public void A_lot_that_cannot_arrive_fresh_by_today_is_not_matched()
    {
        var book = DragonFruitBook();
        book.Today = Dec(30);
        book.PostLot(Lot("too-old", 100, 25_000, harvest: new DateWindow(Dec(1), Dec(12)))); // fresh until 30 Dec, in Đông Lai only

        var outcome = book.PlaceRequest(Request("r", 100, 30_000, delivery: new DateWindow(Dec(15), Dec(31))));

        Assert.Empty(outcome.Fills);
    }

    [Fact]
    public void Stale_names_lots_past_their_life_and_requests_past_their_window_and_nothing_else()
    {
        var book = DragonFruitBook();
        book.PostLot(Lot("fresh", 100, 40_000, harvest: new DateWindow(Dec(10), Dec(20))));
        book.PostLot(Lot("past-life", 100, 40_000, harvest: new DateWindow(Dec(1), Dec(5))));
        book.PlaceRequest(Request("open-window", 10, 30_000, delivery: new DateWindow(Dec(15), Dec(28))));
        book.PlaceRequest(Request("closed-window", 10, 30_000, delivery: new DateWindow(Dec(15), Dec(22))));

        var stale = book.Stale(Dec(24));

        Assert.Equal(["past-life"], stale.LotIds); // 5 Dec + 18 days = 23 Dec, before the 24th
        Assert.Equal(["closed-window"], stale.RequestIds);
        Assert.True(book.Stale(Dec(23)).LotIds.Count == 0);
    }
}
