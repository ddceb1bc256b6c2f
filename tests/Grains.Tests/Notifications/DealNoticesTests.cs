using CoopMarket.Grains.Market;
using CoopMarket.Grains.Notifications;
using CoopMarket.Grains.Paging;
using CoopMarket.Grains.Tests.Market;

namespace CoopMarket.Grains.Tests.Notifications;

/// <summary>Every step of a deal reaches both sides' inboxes from the journal entry that took it, and a request sourced
/// again after a rejection tells its buyer so.</summary>
[Collection(ClusterCollection.Name)]
public sealed class DealNoticesTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Grains;

    [Fact]
    public async Task A_rejection_sourced_again_then_confirmed_and_shipped_is_told_to_each_side_once()
    {
        var market = new MarketScenario(Grains, "notices");
        await market.CreateProductAsync();
        await market.Market.PostLotAsync(market.Lot("first", 30, 25_000, cooperative: "coop-a"), "first");
        await market.Market.PostLotAsync(market.Lot("second", 30, 26_000, cooperative: "coop-b"), "second");
        var rejected = Assert.Single((await market.Market.PlaceRequestAsync(market.Request("request", 20, 30_000), "request")).Value!.Deals);

        var rejection = await market.Market.TakeDealStepAsync(new DealCommand(rejected.Id, DealStep.Reject, DealSide.Cooperative, null));
        Assert.Equal(DealStepOutcome.Done, rejection.Outcome);
        var resourced = Assert.Single(await DealsOfRequestAsync(rejected.RequestId, except: rejected.Id));
        await market.Market.TakeDealStepAsync(new DealCommand(resourced.Id, DealStep.Confirm, DealSide.Cooperative, null));
        await market.Market.TakeDealStepAsync(new DealCommand(resourced.Id, DealStep.Ship, DealSide.Cooperative, null));
        await fixture.DeactivateAllAsync();

        Assert.Equal(
            [(NoticeKind.DealProposed, rejected.Id), (NoticeKind.DealRejected, rejected.Id)],
            await KindsAsync(IInboxGrain.CooperativeKey(rejected.CooperativeId)));
        Assert.Equal(
            [(NoticeKind.DealProposed, resourced.Id), (NoticeKind.DealConfirmed, resourced.Id), (NoticeKind.DealShipped, resourced.Id)],
            await KindsAsync(IInboxGrain.CooperativeKey(resourced.CooperativeId)));
        Assert.Equal(
            [(NoticeKind.DealProposed, rejected.Id), (NoticeKind.DealRejected, rejected.Id), (NoticeKind.DealProposed, resourced.Id),
                (NoticeKind.Resourced, resourced.Id), (NoticeKind.DealConfirmed, resourced.Id), (NoticeKind.DealShipped, resourced.Id)],
            await KindsAsync(IInboxGrain.BuyerKey(rejected.BuyerId)));
    }

    private async Task<Deal[]> DealsOfRequestAsync(string requestId, string except)
    {
        var ids = await Grains.GetGrain<IPurchaseRequestGrain>(requestId).GetDealIdsAsync(PageRequest.First);
        var deals = await Task.WhenAll(ids.Ids.Where(id => id != except).Select(id => Grains.GetGrain<IDealGrain>(id).GetAsync()));
        return [.. deals.Select(d => d!)];
    }

    /// <summary>The inbox oldest first, as kinds and deals.</summary>
    private async Task<(NoticeKind, string)[]> KindsAsync(string inbox)
    {
        var page = await Grains.GetGrain<IInboxGrain>(inbox).GetPageAsync(PageRequest.First);
        return [.. page.Items.Reverse().Select(i => (i.Notice.Kind, i.Notice.DealId))];
    }
}
