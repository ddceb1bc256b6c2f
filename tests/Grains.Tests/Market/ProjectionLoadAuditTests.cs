using CoopMarket.Grains.Market;
using CoopMarket.Grains.Notifications;
using CoopMarket.Grains.Paging;
using CoopMarket.Grains.Participants;

namespace CoopMarket.Grains.Tests.Market;

/// <summary>Concurrent posts, placements, deal steps and shortfalls while the records' writes fail or lose their reply
/// at random; then every activation goes, the market reloads and carries what waits, every activation goes again, and
/// the audit reads everything from storage.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ProjectionLoadAuditTests(ClusterFixture fixture)
{
    // Long enough for many drains to overlap faults, short enough for the suite on two cores.
    private static readonly TimeSpan Load = TimeSpan.FromSeconds(20);

    private IGrainFactory Grains => fixture.Grains;

    [Fact]
    public async Task Under_random_record_faults_every_quantity_balances_and_every_id_and_notice_is_held_once()
    {
        var market = await MarketScenario.CreateAsync(Grains, "load-audit");
        var scope = $"{market.Product}-scope";
        var lots = new List<string>();
        var tried = new List<string>();
        var triedRequests = new List<string>();
        var deals = new List<Deal>();
        var random = new Random(9);
        var until = DateTime.UtcNow + Load;

        // Every record of this market's ids (lots, requests, deals, participants, inboxes, the allowance, their pages)
        // has "{product}-" in its key; the journal and snapshot do not.
        var faults = Task.Run(async () =>
        {
            var armed = new List<IDisposable>();
            for (var faultRandom = new Random(4); DateTime.UtcNow < until; await Task.Delay(40))
            {
                armed.Add(FaultyStorage.Arm($"{market.Product}-", faultRandom.Next(3) switch
                {
                    0 => FaultyStorage.Kind.Fail,
                    1 => FaultyStorage.Kind.LoseReply,
                    _ => FaultyStorage.Kind.SlowWrite,
                }, delay: TimeSpan.FromMilliseconds(faultRandom.Next(50))));
            }

            armed.ForEach(a => a.Dispose());
        });

        await Task.WhenAll([faults, .. Enumerable.Range(0, 4).Select(worker => Task.Run(async () =>
        {
            for (var n = 0; DateTime.UtcNow < until; n++)
            {
                int choice;
                lock (random)
                {
                    choice = random.Next(10);
                }

                try
                {
                    await StepAsync(worker, n, choice);
                }
                catch (Exception e) when (e is MarketReloadingException or TimeoutException or IOException or OrleansException or InvalidOperationException
                    or ArgumentOutOfRangeException)
                {
                    // A command that failed, or was refused (a delivery of more than a deal shrunk by a shortfall still holds), has no
                    // effect its retry would not make; the audit reads what was journalled.
                }
            }
        }))]);

        // Everything goes; the market loads and carries what waited; everything goes again, and is read from storage.
        await fixture.DeactivateAllAsync();
        await market.Market.GetSummaryAsync();
        await fixture.DeactivateAllAsync();
        await market.Market.GetSummaryAsync();
        await fixture.DeactivateAllAsync();

        Assert.NotEmpty(deals);
        var posted = new List<string>();
        foreach (var id in tried)
        {
            if (await Grains.GetGrain<ISupplyLotGrain>(id).GetAsync() is not null)
            {
                posted.Add(id);
            }
        }

        var requests = new List<string>();
        foreach (var id in triedRequests)
        {
            if (await Grains.GetGrain<IPurchaseRequestGrain>(id).GetAsync() is not null)
            {
                requests.Add(id);
            }
        }

        Assert.Subset(posted.ToHashSet(), lots.ToHashSet());
        lots = posted;
        await QuantityAudit.AssertLotsBalancedAsync(Grains, lots);
        await QuantityAudit.AssertRequestsBalancedAsync(Grains, requests);
        var byLot = new Dictionary<string, List<string>>();
        foreach (var lot in lots)
        {
            var ids = await AllIdsAsync(Grains.GetGrain<ISupplyLotGrain>(lot).GetDealIdsAsync);
            Assert.Equal(ids.Distinct().Count(), ids.Count);
            byLot[lot] = ids;
        }

        var made = byLot.Values.SelectMany(ids => ids).ToHashSet();
        Assert.Subset(made, deals.Select(d => d.Id).ToHashSet());
        var byRequest = new List<string>();
        foreach (var request in requests)
        {
            byRequest.AddRange(await AllIdsAsync(Grains.GetGrain<IPurchaseRequestGrain>(request).GetDealIdsAsync));
        }

        Assert.Equal(made.Order(), byRequest.Order());
        var cooperatives = Enumerable.Range(0, 3).Select(i => $"{market.Product}-coop{i}").ToList();
        var cooperativeDeals = new List<string>();
        var cooperativeLots = new List<string>();
        foreach (var cooperative in cooperatives)
        {
            cooperativeDeals.AddRange(await AllIdsAsync(Grains.GetGrain<ICooperativeGrain>(cooperative).GetDealIdsAsync));
            cooperativeLots.AddRange(await AllIdsAsync(Grains.GetGrain<ICooperativeGrain>(cooperative).GetLotIdsAsync));
            var notices = await Grains.GetGrain<IInboxGrain>(IInboxGrain.CooperativeKey(cooperative)).ReadAfterAsync(0, 500);
            Assert.Equal(notices.Select(n => n.Notice.Id).Distinct().Count(), notices.Count);
        }

        Assert.Equal(made.Order(), cooperativeDeals.Order());
        Assert.Equal(lots.Order(), cooperativeLots.Order());
        var buyerDeals = new List<string>();
        foreach (var buyer in Enumerable.Range(0, 5).Select(i => $"{market.Product}-buyer{i}"))
        {
            buyerDeals.AddRange(await AllIdsAsync(Grains.GetGrain<IBuyerGrain>(buyer).GetDealIdsAsync));
            var notices = await Grains.GetGrain<IInboxGrain>(IInboxGrain.BuyerKey(buyer)).ReadAfterAsync(0, 500);
            Assert.Equal(notices.Select(n => n.Notice.Id).Distinct().Count(), notices.Count);
        }

        Assert.Equal(made.Order(), buyerDeals.Order());

        async Task StepAsync(int worker, int n, int choice)
        {
            if (choice < 3 || lots.Count == 0)
            {
                // Tried, not answered: a post whose entry landed may fail to its caller (a record's fault after the write).
                var lot = market.Lot($"lot{worker}-{n}", 20, 25_000, cooperative: $"coop{n % 3}");
                lock (lots)
                {
                    tried.Add(lot.Id);
                }

                if ((await MarketScenario.RetryWhileReloadingAsync(() => market.Market.PostLotAsync(lot, lot.Id, false))).Outcome == CommandOutcome.Done)
                {
                    lock (lots)
                    {
                        lots.Add(lot.Id);
                    }
                }
            }
            else if (choice < 7)
            {
                var request = market.Request($"request{worker}-{n}", 1 + (n % 7), 30_000, buyer: $"buyer{n % 5}") with { AllowanceScope = scope };
                if (!await Grains.GetGrain<IBuyerAllowanceGrain>(scope).ReserveAsync(request.Id, market.Product, request.QuantityGrams, long.MaxValue / 4))
                {
                    return;
                }

                lock (lots)
                {
                    triedRequests.Add(request.Id);
                }

                var placed = await MarketScenario.RetryWhileReloadingAsync(() => market.Market.PlaceRequestAsync(request, request.Id));
                if (placed.Outcome == CommandOutcome.Done)
                {
                    lock (lots)
                    {
                        deals.AddRange(placed.Value!.Deals);
                    }
                }
            }
            else if (choice < 9)
            {
                Deal deal;
                lock (lots)
                {
                    if (deals.Count == 0)
                    {
                        return;
                    }

                    deal = deals[(worker * 31 + n) % deals.Count];
                }

                var step = (n % 4) switch { 0 => DealStep.Reject, 1 => DealStep.Ship, 2 => DealStep.Deliver, _ => DealStep.Confirm };
                await market.StepAsync(deal, step, step == DealStep.Deliver ? DealSide.Buyer : DealSide.Cooperative,
                    delivered: step == DealStep.Deliver ? deal.QuantityGrams / 2 : null);
            }
            else
            {
                string lotId;
                lock (lots)
                {
                    lotId = lots[(worker * 17 + n) % lots.Count];
                }

                await market.Market.ReportShortfallAsync(new LotShortfall(lotId, 10_000, $"short-{worker}-{n}"));
            }
        }
    }

    private static async Task<List<string>> AllIdsAsync(Func<PageRequest, Task<IdPage>> read)
    {
        var ids = new List<string>();
        for (long? before = null; ;)
        {
            var page = await read(new PageRequest(PageRequest.MaxLimit, before));
            ids.AddRange(page.Ids);
            if (page.Next is not { } next)
            {
                return ids;
            }

            before = next;
        }
    }
}
