using CoopMarket.Grains.Market;
using CoopMarket.Grains.Participants;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.TestingHost;

namespace CoopMarket.Grains.Tests.Market;

/// <summary>The unverified buyer's cap under what the happy path never meets: many placements of one scope racing in two
/// markets, storage faults on the allowance and the journals, retries with the same key, and markets reloaded from
/// storage. Whatever the interleaving, what the scope holds never passes the cap, and once every grain is gone the
/// stored allowance is exactly what the stored requests hold.</summary>
[Collection(ClusterCollection.Name)]
public sealed class AllowanceAttackTests(ClusterFixture fixture)
{
    private const long Cap = 1_000_000;

    private IGrainFactory Grains => fixture.Grains;

    [Fact]
    public void An_entry_s_holds_survive_the_serializer_that_stores_the_journal()
    {
        var services = ((InProcessSiloHandle)fixture.Cluster.Primary!).SiloHost.Services;
        var serializer = services.GetRequiredService<Serializer>();
        var entry = new MarketEntry(7, ClusterFixture.Clock.GetUtcNow(), MarketEntryKind.DealRejected, null, null, "deal", 0, [], null, null, [], [],
            Holds: [new AllowanceHold("address/1.2.3.4", "request-a", 600_000), new AllowanceHold("buyer-b", "request-b", 0)]);

        var copy = serializer.Deserialize<MarketEntry>(serializer.SerializeToArray(entry))!;

        Assert.NotSame(entry.Holds, copy.Holds);
        Assert.Equal(entry.Holds!, copy.Holds!);
    }

    [Fact]
    public async Task Racing_placements_in_two_markets_through_faults_never_pass_the_cap_and_leave_the_allowance_exact()
    {
        var first = new MarketScenario(Grains, "race-a");
        var second = new MarketScenario(Grains, "race-b");
        await Task.WhenAll(first.CreateProductAsync(), second.CreateProductAsync());
        var scope = $"{first.Product}-address";
        var allowance = Grains.GetGrain<IBuyerAllowanceGrain>(scope);

        // Each market has lots for a part of what is asked, so some grams sit in deals and some stay open.
        await first.Market.PostLotAsync(first.Lot("lot", 250, 25_000), "lot");
        await second.Market.PostLotAsync(second.Lot("lot", 150, 25_000), "lot");
        var asked = Requests(24, (market, i) => market.Request($"r{i}", 60 + 10 * (i % 5), 30_000) with { AllowanceScope = scope });

        List<(MarketScenario Market, RequestTerms Request)> placed;
        using (FaultyStorage.Arm($"{scope}/allowance", FaultyStorage.Kind.Fail, times: 3))
        using (FaultyStorage.Arm($"{scope}/allowance", FaultyStorage.Kind.LoseReply, times: 3))
        using (FaultyStorage.Arm($"coopmarket-journal/{first.Product}/", FaultyStorage.Kind.LoseReply, times: 2))
        using (FaultyStorage.Arm($"coopmarket-journal/{second.Product}/", FaultyStorage.Kind.Fail, times: 2))
        {
            var outcomes = await Task.WhenAll(asked.Select(a => PlaceUntilAnsweredAsync(a.Market, allowance, a.Request)));
            placed = [.. asked.Where((_, i) => outcomes[i])];
        }

        Assert.InRange(placed.Count, 1, asked.Count - 1);
        await AssertAllowanceIsWhatRequestsHoldAsync(allowance, placed, new Dictionary<string, long>());

        // Half the open placed requests are cancelled while more placements race them: the unfilled grams free room, the
        // grams in deals do not.
        var cancelled = placed.Where((_, i) => i % 2 == 0).ToList();
        var late = Requests(12, (market, i) => market.Request($"late{i}", 50, 20_000) with { AllowanceScope = scope });
        var cancelling = Task.WhenAll(cancelled.Select(c => MarketScenario.RetryWhileReloadingAsync(() => c.Market.Market.CancelRequestAsync(c.Request.Id))));
        var placing = Task.WhenAll(late.Select(l => PlaceUntilAnsweredAsync(l.Market, allowance, l.Request)));
        var views = await cancelling;
        var latePlaced = await placing;
        placed.AddRange(late.Where((_, i) => latePlaced[i]));
        // A request filled whole has nothing to cancel (null): it holds all it asked, in deals.
        var filledWhenCancelled = views.OfType<RequestView>().ToDictionary(v => v.Terms.Id, v => v.FilledGrams);
        Assert.NotEmpty(filledWhenCancelled);

        await fixture.DeactivateAllAsync();
        await Task.WhenAll(first.Market.GetSummaryAsync(), second.Market.GetSummaryAsync());
        await AssertAllowanceIsWhatRequestsHoldAsync(allowance, placed, filledWhenCancelled);

        List<(MarketScenario Market, RequestTerms Request)> Requests(int count, Func<MarketScenario, int, RequestTerms> request) =>
            [.. Enumerable.Range(0, count).Select(i => i % 2 == 0 ? first : second).Select((market, i) => (market, request(market, i)))];
    }

    [Fact]
    public async Task A_cancelled_request_whose_deal_may_give_grams_back_is_known_to_its_market_after_its_receipt_is_gone()
    {
        // The allowance lets go of an old provisional reservation when the market does not know its request: that must
        // never happen while the request still holds grams, or they would stop counting against the cap.
        var market = new MarketScenario(Grains, "knows-closed");
        await market.CreateProductAsync();
        await market.Market.PostLotAsync(market.Lot("lot", 1, 25_000), "lot");
        var request = market.Request("request", 2, 30_000) with { AllowanceScope = $"{market.Product}-address" };
        Assert.Single((await market.Market.PlaceRequestAsync(request, request.Id)).Value!.Deals);
        Assert.NotNull(await market.Market.CancelRequestAsync(request.Id));

        // Two snapshots' worth of later commands push the placement's receipt out of what the market keeps.
        for (var i = 0; i < 420; i += 20)
        {
            await Task.WhenAll(Enumerable.Range(i, 20).Select(n => market.Lot($"later{n}", 1, 40_000))
                .Select(lot => market.Market.PostLotAsync(lot, lot.Id)));
        }

        await fixture.DeactivateAllAsync();
        Assert.True(await market.Market.KnowsRequestAsync(request.Id));
    }

    [Fact]
    public async Task A_request_a_change_lets_go_of_is_known_to_its_market_until_the_journal_holds_the_change()
    {
        // The allowance's question interleaves with the market's turn, so it may come while an entry is on its way to
        // the journal: memory has let the request go already, yet if the write fails the journal still holds it open.
        var market = new MarketScenario(Grains, "knows-in-flight");
        await market.CreateProductAsync();
        var request = market.Request("request", 2, 20_000) with { AllowanceScope = $"{market.Product}-address" };
        Assert.Equal(CommandOutcome.Done, (await market.Market.PlaceRequestAsync(request, request.Id)).Outcome);
        for (var i = 0; i < 420; i += 20)
        {
            await Task.WhenAll(Enumerable.Range(i, 20).Select(n => market.Lot($"later{n}", 1, 40_000))
                .Select(lot => market.Market.PostLotAsync(lot, lot.Id)));
        }

        // Its receipt is gone (a retry is no longer answered from it), so only the open request says the market knows it.
        Assert.Equal(CommandOutcome.KeyReused, (await market.Market.PlaceRequestAsync(request, request.Id)).Outcome);

        using (FaultyStorage.Arm($"coopmarket-journal/{market.Product}/"))
        using (var write = FaultyStorage.Hold($"coopmarket-journal/{market.Product}/"))
        {
            var cancelling = market.Market.CancelRequestAsync(request.Id);
            await write.Reached;
            Assert.True(await market.Market.KnowsRequestAsync(request.Id).WaitAsync(TimeSpan.FromSeconds(5)));
            write.Release();
            await Assert.ThrowsAnyAsync<IOException>(() => cancelling);
        }

        Assert.True(await MarketScenario.RetryWhileReloadingAsync(() => market.Market.KnowsRequestAsync(request.Id)));
        Assert.Equal(RequestView.Open, (await Grains.GetGrain<IPurchaseRequestGrain>(request.Id).GetAsync())!.Status);
    }

    /// <summary>The gateway's steps, retried with the same key as a client does while it gets no answer: true once the
    /// market placed the request, false when the allowance refused it.</summary>
    private static async Task<bool> PlaceUntilAnsweredAsync(MarketScenario market, IBuyerAllowanceGrain allowance, RequestTerms request)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                if (!await allowance.ReserveAsync(request.Id, market.Product, request.QuantityGrams, Cap))
                {
                    return false;
                }

                var placed = await market.Market.PlaceRequestAsync(request, request.Id, retried: attempt > 0);
                Assert.Contains(placed.Outcome, (CommandOutcome[])[CommandOutcome.Done, CommandOutcome.Replayed]);
                return true;
            }
            catch (Exception e) when (attempt < 50 && e is not Xunit.Sdk.XunitException)
            {
                await Task.Delay(30);
            }
        }
    }

    /// <summary>What each request holds, read from its record: all it asked while it is open (unfilled or in deals
    /// nobody delivered), and once cancelled what it had in deals then (none was delivered meanwhile).</summary>
    private async Task AssertAllowanceIsWhatRequestsHoldAsync(IBuyerAllowanceGrain allowance, List<(MarketScenario Market, RequestTerms Request)> placed,
        Dictionary<string, long> filledWhenCancelled)
    {
        long held = 0;
        foreach (var (_, request) in placed)
        {
            var view = (await Grains.GetGrain<IPurchaseRequestGrain>(request.Id).GetAsync())!;
            held += filledWhenCancelled.TryGetValue(request.Id, out var filled) ? filled : request.QuantityGrams;
            Assert.NotEqual(RequestView.Expired, view.Status);
        }

        Assert.InRange(held, 0, Cap);
        Assert.Equal(held, await allowance.GetOpenGramsAsync());
    }
}
