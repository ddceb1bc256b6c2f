using CoopMarket.Grains.Market;
using CoopMarket.Grains.Notifications;
using CoopMarket.Matching;
using CoopMarket.Grains.Participants;

namespace CoopMarket.Grains.Tests.Market;

/// <summary>A cooperative's auto-confirm rules: the market confirms, as it makes them, the deals they name, and no deal
/// with an unverified buyer; a change reaches the deals made after it, and a market rebuilt from its journal keeps it.</summary>
[Collection(ClusterCollection.Name)]
public sealed class AutoConfirmTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Grains;

    [Fact]
    public async Task A_deal_with_a_buyer_the_cooperative_named_is_born_confirmed_by_the_rule_and_never_expires()
    {
        var (market, lot) = await MarketWithLotAsync("by-buyer");
        var trusted = market.Request("trusted", 5, 30_000, buyer: "trusted");
        var stranger = market.Request("stranger", 5, 30_000, buyer: "stranger");
        await RulesOf(lot).SetAsync([trusted.BuyerId], []);

        var confirmed = await market.OneDealAsync(trusted);
        var proposed = await market.OneDealAsync(stranger);

        Assert.Equal((Deal.Confirmed, (DateTimeOffset?)null), (confirmed.Status, confirmed.ConfirmBy));
        Assert.Equal(Deal.Proposed, proposed.Status);
        var record = Grains.GetGrain<IDealGrain>(confirmed.Id);
        Assert.Equal(Deal.Confirmed, (await record.GetAsync())!.Status);
        var step = Assert.Single(await record.GetStepsAsync());
        Assert.Equal((Deal.Confirmed, DealSide.Cooperative, $"buyer:{trusted.BuyerId}"), (step.Status, step.Actor, step.Rule));
        foreach (var inbox in new[] { IInboxGrain.CooperativeKey(lot.CooperativeId), IInboxGrain.BuyerKey(trusted.BuyerId) })
        {
            var notices = (await Grains.GetGrain<IInboxGrain>(inbox).ReadAfterAsync(0, 100)).Where(n => n.Notice.DealId == confirmed.Id);
            Assert.Equal([NoticeKind.DealProposed, NoticeKind.DealConfirmed], notices.Select(n => n.Notice.Kind));
        }

        // No deadline: what nobody confirmed expires, what the rule confirmed stands.
        ClusterFixture.Clock.Advance(TimeSpan.FromHours(49));
        await market.Market.AsReference<IRemindable>().ReceiveReminder("confirm-deadlines", default);
        Assert.Equal(Deal.Confirmed, (await record.GetAsync())!.Status);
        Assert.Equal(Deal.Expired, (await Grains.GetGrain<IDealGrain>(proposed.Id).GetAsync())!.Status);
        await QuantityAudit.AssertLotsBalancedAsync(Grains, lot.Id);
        await QuantityAudit.AssertRequestsBalancedAsync(Grains, trusted.Id, stranger.Id);
    }

    [Fact]
    public async Task A_deal_with_any_buyer_placing_through_a_named_value_chain_is_confirmed()
    {
        var (market, lot) = await MarketWithLotAsync("by-chain");
        var chain = $"{market.Product}-chain";
        await RulesOf(lot).SetAsync([], [chain]);
        var through = market.Request("through", 5, 30_000, buyer: "member") with { ValueChainId = chain, ChainPolicy = AllocationPolicy.PriceTime };
        var outside = market.Request("outside", 5, 30_000, buyer: "member");

        var step = Assert.Single(await Grains.GetGrain<IDealGrain>((await market.OneDealAsync(through)).Id).GetStepsAsync());
        Assert.Equal((Deal.Confirmed, $"valueChain:{chain}"), (step.Status, step.Rule));
        Assert.Equal(Deal.Proposed, (await market.OneDealAsync(outside)).Status);
        await QuantityAudit.AssertLotsBalancedAsync(Grains, lot.Id);
        await QuantityAudit.AssertRequestsBalancedAsync(Grains, through.Id, outside.Id);
    }

    [Fact]
    public async Task A_deal_with_an_unverified_buyer_is_never_confirmed_by_a_rule()
    {
        var (market, lot) = await MarketWithLotAsync("unverified");
        var chain = $"{market.Product}-chain";
        var named = market.Request("named", 5, 30_000, buyer: "self-registered") with { AllowanceScope = $"{market.Product}-address" };
        var viaChain = named with { Id = $"{named.Id}-chain", ValueChainId = chain, ChainPolicy = AllocationPolicy.PriceTime };
        await RulesOf(lot).SetAsync([named.BuyerId], [chain]);

        var deals = new[] { await market.OneDealAsync(named), await market.OneDealAsync(viaChain) };

        Assert.All(deals, d => Assert.Equal((Deal.Proposed, false), (d.Status, d.BuyerVerified)));
        foreach (var deal in deals)
        {
            Assert.Empty(await Grains.GetGrain<IDealGrain>(deal.Id).GetStepsAsync());
        }

        await QuantityAudit.AssertLotsBalancedAsync(Grains, lot.Id);
        await QuantityAudit.AssertRequestsBalancedAsync(Grains, named.Id, viaChain.Id);
    }

    [Fact]
    public async Task A_change_of_rules_reaches_the_deals_made_after_it_and_leaves_earlier_ones_as_they_are()
    {
        var (market, lot) = await MarketWithLotAsync("change");
        var rules = RulesOf(lot);
        var buyer = $"{market.Product}-buyer";
        Assert.Equal(1, (await rules.SetAsync([buyer], [])).Version);
        var before = await market.OneDealAsync(market.Request("before", 2, 30_000));

        Assert.Equal(2, (await rules.SetAsync([], [])).Version);
        Assert.Equal(2, (await rules.SetAsync([], [])).Version); // the same rules again change nothing
        var after = await market.OneDealAsync(market.Request("after", 2, 30_000));
        Assert.Equal(3, (await rules.SetAsync([buyer], [])).Version);
        var again = await market.OneDealAsync(market.Request("again", 2, 30_000));

        Assert.Equal([Deal.Confirmed, Deal.Proposed, Deal.Confirmed], new[] { before, after, again }.Select(d => d.Status));
        Assert.Equal(Deal.Confirmed, (await Grains.GetGrain<IDealGrain>(before.Id).GetAsync())!.Status);
        Assert.Equal(Deal.Proposed, (await Grains.GetGrain<IDealGrain>(after.Id).GetAsync())!.Status);
        await QuantityAudit.AssertLotsBalancedAsync(Grains, lot.Id);
        await QuantityAudit.AssertRequestsBalancedAsync(Grains, before.RequestId, after.RequestId, again.RequestId);
    }

    [Fact]
    public async Task A_market_rebuilt_from_its_journal_or_its_snapshot_keeps_the_rules()
    {
        var (market, lot) = await MarketWithLotAsync("rebuilt", kg: 100);
        await RulesOf(lot).SetAsync([$"{market.Product}-buyer"], []);

        await fixture.DeactivateAllAsync();
        var replayed = await market.OneDealAsync(market.Request("replayed", 2, 30_000));

        // Past a snapshot, then a cold start from it.
        for (var i = 0; i < 205; i++)
        {
            await market.Market.PostLotAsync(market.Lot($"dear{i}", 1, 90_000), $"dear{i}");
        }

        await fixture.DeactivateAllAsync();
        var restored = await market.OneDealAsync(market.Request("restored", 2, 30_000));

        Assert.Equal([Deal.Confirmed, Deal.Confirmed], new[] { replayed.Status, restored.Status });
        await QuantityAudit.AssertLotsBalancedAsync(Grains, lot.Id);
        await QuantityAudit.AssertRequestsBalancedAsync(Grains, replayed.RequestId, restored.RequestId);
    }

    private IAutoConfirmGrain RulesOf(LotTerms lot) => Grains.GetGrain<IAutoConfirmGrain>(lot.CooperativeId);

    /// <summary>A market whose cooperative has a lot in it: the rules' owner carries them to the markets the
    /// cooperative sells in (the catalog's, which test products are not in, and those of its lots).</summary>
    private async Task<(MarketScenario Market, LotTerms Lot)> MarketWithLotAsync(string name, long kg = 30)
    {
        var market = await MarketScenario.CreateAsync(Grains, name);
        var lot = market.Lot("lot", kg, 25_000);
        await market.Market.PostLotAsync(lot, "lot");
        return (market, lot);
    }
}
