using CoopMarket.Grains.Market;
using CoopMarket.Grains.Notifications;
using CoopMarket.Grains.Paging;
using CoopMarket.Grains.Participants;

namespace CoopMarket.Grains.Tests.Market;

/// <summary>A drain carries each record's pending entries in one call that writes the record once: the entries of a
/// shared journal write that all fill from one lot cost that lot, its cooperative's index and inbox, and the buyers'
/// allowance one write each, not one per entry; and a batch that fails, or whose reply is lost, changes nothing twice.</summary>
[Collection(ClusterCollection.Name)]
public sealed class MarketProjectionTests(ClusterFixture fixture)
{
    private const int Waiting = 12;
    private const long Cap = 1_000_000_000;

    private IGrainFactory Grains => fixture.Grains;

    [Fact]
    public async Task A_shared_write_of_placements_from_one_lot_writes_each_record_they_share_once()
    {
        var market = await MarketScenario.CreateAsync(Grains, "batch-once");
        var lot = await market.PostedLotAsync("lot", 100, 25_000);
        var records = Shared(market, lot);
        var requests = await ReservedRequestsAsync(market);
        var before = records.Select(FaultyStorage.LandedWrites).ToList();

        await PlaceBehindHeldWriteAsync(market, requests);

        // The held placement's entry is carried on its own, then the shared write's entries in one call per record.
        Assert.Equal(records.Select(_ => 2), records.Select((key, i) => FaultyStorage.LandedWrites(key) - before[i]));
        await AssertCarriedOnceAsync(market, lot, requests);
    }

    [Fact]
    public async Task A_batch_whose_write_fails_leaves_each_record_as_stored_and_the_next_drain_carries_all_of_it()
    {
        var market = await MarketScenario.CreateAsync(Grains, "batch-fails");
        var lot = await market.PostedLotAsync("lot", 100, 25_000);
        var records = Shared(market, lot);
        var requests = await ReservedRequestsAsync(market);

        using (Arm(records, FaultyStorage.Kind.Fail, times: 1_000))
        {
            // Each placement's drain sends the lot every entry it lacks, in one call whose write fails.
            foreach (var request in requests)
            {
                Assert.Equal(CommandOutcome.Done, (await market.Market.PlaceRequestAsync(request, request.Id)).Outcome);
            }

            // Neither memory nor storage holds any of it: the activations, gone, read back what is stored.
            var lotRecord = Grains.GetGrain<ISupplyLotGrain>(lot.Id);
            var cooperative = Grains.GetGrain<ICooperativeGrain>(lot.CooperativeId);
            var inbox = Grains.GetGrain<IInboxGrain>(IInboxGrain.CooperativeKey(lot.CooperativeId));
            var allowance = Grains.GetGrain<IBuyerAllowanceGrain>(Scope(market));
            await fixture.DeactivateAsync(lotRecord, cooperative, inbox, allowance);
            Assert.Equal((100_000L, 0L), ((await lotRecord.GetAsync())!.RemainingGrams, (await lotRecord.GetAsync())!.DealCount));
            Assert.Equal((0L, 1L), ((await FaultyStorage.ReadAsync<SupplyLotState>("lot", lotRecord.GetGrainId()))!.Deals.Count,
                (await FaultyStorage.ReadAsync<SupplyLotState>("lot", lotRecord.GetGrainId()))!.View!.Version));
            Assert.Empty((await cooperative.GetDealIdsAsync(PageRequest.First)).Ids);
            Assert.Equal(0L, (await inbox.GetSummaryAsync()).Count);
            Assert.Equal(requests.Sum(r => r.QuantityGrams), await allowance.GetOpenGramsAsync());
        }

        var after = records.Select(FaultyStorage.LandedWrites).ToList();
        var last = market.Request("last", 5, 30_000, buyer: "last");
        await market.Market.PlaceRequestAsync(last, last.Id);

        // The whole batch, and the last placement, land in one write per record (two if the market's timer drained
        // between the disarm and the placement), not one per entry.
        Assert.All(records.Select((key, i) => FaultyStorage.LandedWrites(key) - after[i]), writes => Assert.InRange(writes, 1, 2));
        await AssertCarriedOnceAsync(market, lot, [.. requests, last]);
    }

    [Fact]
    public async Task A_batch_whose_reply_was_lost_is_carried_again_with_the_next_and_nothing_counts_twice()
    {
        var market = await MarketScenario.CreateAsync(Grains, "batch-lost");
        var lot = await market.PostedLotAsync("lot", 100, 25_000);
        var records = Shared(market, lot);
        var requests = await ReservedRequestsAsync(market);

        // The held placement's entry lands in each record unheard: it is sent again, with the shared write's entries.
        await PlaceBehindHeldWriteAsync(market, requests, lostReplies: records);
        var last = market.Request("last", 5, 30_000, buyer: "last");
        await market.Market.PlaceRequestAsync(last, last.Id);

        await AssertCarriedOnceAsync(market, lot, [.. requests, last]);
    }

    /// <summary>The records every placement of these tests touches: the lot's, its cooperative's index and inbox, and the
    /// allowance of the buyers' scope.</summary>
    private static string[] Shared(MarketScenario market, LotTerms lot) =>
        [$"{lot.Id}/lot", $"{lot.CooperativeId}/cooperative", $"{IInboxGrain.CooperativeKey(lot.CooperativeId)}/inbox", $"{Scope(market)}/allowance"];

    private static string Scope(MarketScenario market) => $"address/{market.Product}";

    /// <summary>The held placement and those that wait behind it, each for 5 kg, each holding its grams of one allowance.</summary>
    private async Task<List<RequestTerms>> ReservedRequestsAsync(MarketScenario market)
    {
        var requests = Enumerable.Range(0, Waiting + 1)
            .Select(i => market.Request($"request{i}", 5, 30_000, buyer: $"buyer{i}") with { AllowanceScope = Scope(market) }).ToList();
        var allowance = Grains.GetGrain<IBuyerAllowanceGrain>(Scope(market));
        foreach (var request in requests)
        {
            Assert.True(await allowance.ReserveAsync(request.Id, market.Product, request.QuantityGrams, Cap));
        }

        return requests;
    }

    /// <summary>Places the first request with its journal write held, the others meanwhile (they share the next write),
    /// arms <paramref name="lostReplies"/> to lose one reply each, and lets the held write go.</summary>
    private static async Task PlaceBehindHeldWriteAsync(MarketScenario market, List<RequestTerms> requests, string[]? lostReplies = null)
    {
        Task<CommandResult<Receipt>> first;
        List<Task<CommandResult<Receipt>>> rest;
        using (var held = FaultyStorage.Hold($"coopmarket-journal/{market.Product}/"))
        {
            first = market.Market.PlaceRequestAsync(requests[0], requests[0].Id);
            await held.Reached;
            rest = [.. requests.Skip(1).Select(r => market.Market.PlaceRequestAsync(r, r.Id))];
            for (var until = DateTime.UtcNow.AddSeconds(20); ; await Task.Delay(10))
            {
                if ((await Task.WhenAll(requests.Skip(1).Select(r => market.Market.KnowsRequestAsync(r.Id)))).All(k => k))
                {
                    break;
                }

                Assert.True(DateTime.UtcNow < until, "the waiting placements were not decided while the write was held");
            }

            using var armed = lostReplies is null ? null : Arm(lostReplies, FaultyStorage.Kind.LoseReply, times: 1);
            held.Release();
            await first;
        }

        Assert.All(await Task.WhenAll(rest), placed => Assert.Equal((CommandOutcome.Done, 5_000L), (placed.Outcome, placed.Value!.FilledGrams)));
    }

    /// <summary>Every placement reached every record once, read back from storage after every activation is gone.</summary>
    private async Task AssertCarriedOnceAsync(MarketScenario market, LotTerms lot, List<RequestTerms> requests)
    {
        await fixture.DeactivateAllAsync();
        var dealIds = requests.Select((_, i) => $"deal-{market.Product}-{i + 2}-1").ToList();
        var view = (await Grains.GetGrain<ISupplyLotGrain>(lot.Id).GetAsync())!;
        Assert.Equal((100_000 - requests.Count * 5_000L, (long)requests.Count), (view.RemainingGrams, view.DealCount));
        Assert.Equal(dealIds.Order(StringComparer.Ordinal), await IdsAsync(Grains.GetGrain<ISupplyLotGrain>(lot.Id).GetDealIdsAsync));
        Assert.Equal(dealIds.Order(StringComparer.Ordinal), await IdsAsync(Grains.GetGrain<ICooperativeGrain>(lot.CooperativeId).GetDealIdsAsync));
        Assert.Equal([lot.Id], await IdsAsync(Grains.GetGrain<ICooperativeGrain>(lot.CooperativeId).GetLotIdsAsync));
        var notices = await Grains.GetGrain<IInboxGrain>(IInboxGrain.CooperativeKey(lot.CooperativeId)).ReadAfterAsync(0, 500);
        Assert.Equal(dealIds.Order(StringComparer.Ordinal), notices.Select(n => n.Notice.DealId).Order(StringComparer.Ordinal));
        Assert.All(notices, n => Assert.Equal(NoticeKind.DealProposed, n.Notice.Kind));

        // Each request's grams stay held while in a deal, once, and the projection confirmed each reservation.
        var allowance = (await FaultyStorage.ReadAsync<BuyerAllowanceState>("allowance", Grains.GetGrain<IBuyerAllowanceGrain>(Scope(market)).GetGrainId()))!;
        var held = requests.Where(r => r.AllowanceScope is not null).ToList();
        Assert.Equal(held.Select(r => (r.Id, 5_000L, true)).Order(), allowance.Reserved.Select(r => (r.Key, r.Value.Grams, r.Value.Confirmed)).Order());
        await QuantityAudit.AssertLotsBalancedAsync(Grains, lot.Id);
        await QuantityAudit.AssertRequestsBalancedAsync(Grains, requests.Select(r => r.Id));
    }

    private static async Task<List<string>> IdsAsync(Func<PageRequest, Task<IdPage>> page) =>
        [.. (await page(new PageRequest(500, null))).Ids.Order(StringComparer.Ordinal)];

    private static Disarm Arm(string[] keys, FaultyStorage.Kind kind, int times) =>
        new([.. keys.Select(key => FaultyStorage.Arm(key, kind, times))]);

    private sealed class Disarm(List<IDisposable> armed) : IDisposable
    {
        public void Dispose() => armed.ForEach(a => a.Dispose());
    }
}
