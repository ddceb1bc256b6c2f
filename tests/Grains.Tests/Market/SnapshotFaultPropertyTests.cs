using System.Globalization;
using CoopMarket.Grains.Market;
using CsCheck;

namespace CoopMarket.Grains.Tests.Market;

/// <summary>A market whose snapshot writes fail or lose their reply at random, a page, a directory page, the record or
/// the attempt written before the pages,
/// and that goes at random in between, answers like one whose storage never failed, holds every deal alike, and its
/// records balance to the gram.</summary>
/// <remarks>A snapshot fault never fails a command (the journal holds every entry), so both markets take the same
/// commands with the same answers; what a fault could break shows only after a reload, which the faulty market does
/// often, from whatever snapshot the faults left. The clock stands still: no deadline passes in one market only.</remarks>
[Collection(ClusterCollection.Name)]
public sealed class SnapshotFaultPropertyTests(ClusterFixture fixture)
{
    private abstract record Command;

    private sealed record Post(int Kg, int AskStep) : Command;

    private sealed record Place(int Kg, int PriceStep) : Command;

    private sealed record Withdraw(int Pick) : Command;

    private sealed record Cancel(int Pick) : Command;

    private sealed record Shortfall(int Pick, int Kg) : Command;

    /// <summary>A step on one of the deals made so far, by the side that may take it.</summary>
    private sealed record Step(int Pick, DealStep DealStep) : Command;

    /// <summary>The next <see cref="Times"/> writes of what <see cref="Target"/> names fail so (clears of pages included:
    /// the deletion of old versions).</summary>
    private sealed record Fault(FaultTarget Target, FaultyStorage.Kind Kind, int Times) : Command;

    /// <summary>The faulty market's snapshot record, its pages of any family, its directory pages alone (a snapshot
    /// writes its directories after its other pages, so a fault armed on every page seldom reaches one), or the attempt
    /// it writes first.</summary>
    private enum FaultTarget
    {
        Record,
        Page,
        Directory,
        Attempt,
    }

    /// <summary>The faulty market goes; its next command loads it.</summary>
    private sealed record Reload : Command;

    /// <summary>A page the faulty market's stored snapshot names is lost, as a second activation may delete it; the
    /// market goes, and rebuilds from its whole journal.</summary>
    private sealed record LosePage(int Pick) : Command;

    private static readonly Gen<Command> GenCommand = Gen.Frequency(
        (6, Gen.Select(Gen.Int[1, 40], Gen.Int[0, 10], (kg, ask) => (Command)new Post(kg, ask))),
        (6, Gen.Select(Gen.Int[1, 60], Gen.Int[0, 10], (kg, price) => (Command)new Place(kg, price))),
        (1, Gen.Int[0, 1_000].Select(pick => (Command)new Withdraw(pick))),
        (1, Gen.Int[0, 1_000].Select(pick => (Command)new Cancel(pick))),
        (1, Gen.Select(Gen.Int[0, 1_000], Gen.Int[0, 20], (pick, kg) => (Command)new Shortfall(pick, kg))),
        (6, Gen.Select(Gen.Int[0, 1_000], Gen.Enum<DealStep>(), (pick, step) => (Command)new Step(pick, step))),
        (1, Gen.Select(Gen.Enum<FaultTarget>(), Gen.Bool.Select(lose => lose ? FaultyStorage.Kind.LoseReply : FaultyStorage.Kind.Fail), Gen.Int[1, 3],
            (target, kind, times) => (Command)new Fault(target, kind, times))),
        (1, Gen.Const((Command)new Reload())),
        (1, Gen.Int[0, 1_000].Select(pick => (Command)new LosePage(pick))));

    [Fact]
    public async Task A_market_whose_snapshots_fail_at_random_reloads_as_the_market_it_was()
    {
        // Commands make about 0.6 entries each: 1,400 pass six snapshots.
        await GenCommand.Array[1_400].SampleAsync(async commands =>
        {
            var faulty = new Run(new MarketScenario(fixture.Grains, "faulty"));
            var control = new Run(new MarketScenario(fixture.Grains, "steady"));
            await faulty.Market.CreateProductAsync();
            await control.Market.CreateProductAsync();
            var faults = new List<IDisposable>();

            // Versions no activation can find any more: those a lost directory named.
            var leftForGood = new HashSet<SnapshotPageRef>();
            try
            {
                for (var n = 0; n < commands.Length; n++)
                {
                    switch (commands[n])
                    {
                        case Fault(var target, var kind, var times):
                            faults.Add(FaultyStorage.Arm(target switch
                            {
                                FaultTarget.Record => $"coopmarket-snapshot/{faulty.Market.Product}/",
                                FaultTarget.Page => $"coopmarket-snapshot-page/{faulty.Market.Product}/",
                                FaultTarget.Attempt => $"coopmarket-snapshot-attempt/{faulty.Market.Product}/",
                                _ => $"coopmarket-snapshot-page/{faulty.Market.Product}/Directory/",
                            }, kind, times));
                            break;
                        case Reload:
                            await faulty.Market.DeactivateAsync();
                            break;
                        case LosePage(var pick):
                            leftForGood.UnionWith(await LosePageAsync(faulty.Market, pick));
                            break;
                        default:
                            await faulty.TakeAsync(commands[n], n);
                            await control.TakeAsync(commands[n], n);
                            break;
                    }
                }
            }
            finally
            {
                faults.ForEach(f => f.Dispose());
            }

            Assert.True((await StoredSnapshot.ReadAsync(faulty.Market.Product))?.ThroughEntry >= 600, "too few snapshots");
            await faulty.Market.DeactivateAsync();
            Assert.Equal(control.Answers.Select(a => a.Replace(control.Market.Product, "P", StringComparison.Ordinal)),
                faulty.Answers.Select(a => a.Replace(faulty.Market.Product, "P", StringComparison.Ordinal)));
            Assert.Equal(MarketScenario.Describe(await control.Market.Market.GetSummaryAsync()),
                MarketScenario.Describe(await faulty.Market.Market.GetSummaryAsync()));
            Assert.Equal(await control.HoldingsAsync(), await faulty.HoldingsAsync());
            await QuantityAudit.AssertLotsBalancedAsync(fixture.Grains, faulty.LotIds);
            await QuantityAudit.AssertRequestsBalancedAsync(fixture.Grains, faulty.RequestIds);

            // Once a snapshot lands with no fault armed, storage holds only what it names, and what no activation could find.
            var through = (await StoredSnapshot.ReadAsync(faulty.Market.Product))!.ThroughEntry;
            for (var i = 0; i < 200; i++)
            {
                await faulty.Market.Market.PostLotAsync(faulty.Market.Lot($"last{i}", 1, 90_000), $"last{i}");
            }

            Assert.True((await StoredSnapshot.ReadAsync(faulty.Market.Product))!.ThroughEntry > through, "no last snapshot");
            Assert.Empty((await UnnamedAsync(faulty.Market.Product)).Except(leftForGood));
        }, iter: 1, threads: 1);
    }

    /// <summary>The versions of the market's pages and directories that storage holds and its stored record does not name
    /// (itself, or through a directory still stored).</summary>
    private static async Task<List<SnapshotPageRef>> UnnamedAsync(string product)
    {
        var record = await FaultyStorage.ReadAsync<MarketSnapshot>("snapshot", GrainId.Create("coopmarket-snapshot", product));
        var named = new HashSet<SnapshotPageRef>(record?.Pages ?? []);
        foreach (var directory in record?.Pages ?? [])
        {
            if (await FaultyStorage.ReadAsync<SnapshotPage>("page", StoredSnapshot.PageId(product, directory)) is { } page)
            {
                named.UnionWith(page.Names);
            }
        }

        var stored = await FaultyStorage.StoredAsync<SnapshotPage>($"coopmarket-snapshot-page/{product}/");
        return [.. stored.Select(id => id.Key.ToString()!.Split('/')).Select(key => new SnapshotPageRef(
            Enum.Parse<PageFamily>(key[1]), long.Parse(key[2], CultureInfo.InvariantCulture), long.Parse(key[3], CultureInfo.InvariantCulture)))
            .Where(version => !named.Contains(version))];
    }

    /// <summary>Answers the pages the lost one named, if it was a directory: no activation can find them any more (a leak
    /// the market has had since directories).</summary>
    private static async Task<List<SnapshotPageRef>> LosePageAsync(MarketScenario market, int pick)
    {
        // A directory page or a page it names.
        if ((await StoredSnapshot.ReadAsync(market.Product)) is { } stored && stored.Snapshot.Pages.Concat(stored.Names).ToList() is { Count: > 0 } pages)
        {
            var page = StoredSnapshot.PageId(market.Product, pages[pick % pages.Count]);
            var state = new GrainState<SnapshotPage>();
            await FaultyStorage.Inner!.ReadStateAsync("page", page, state);
            var named = state.State!.Names;
            await FaultyStorage.Inner.ClearStateAsync("page", page, state);
            await market.DeactivateAsync();
            return named;
        }

        return [];
    }

    /// <summary>One market taking the commands: its lots, requests and deals so far, and every answer.</summary>
    private sealed class Run(MarketScenario market)
    {
        private readonly List<Deal> deals = [];

        public MarketScenario Market => market;

        public List<string> Answers { get; } = [];

        public List<string> LotIds { get; } = [];

        public List<string> RequestIds { get; } = [];

        /// <summary>What the market holds of each deal: a step the buyer may not take answers its status as the market
        /// has it. (Which requests it knows differs by design: a snapshot drops delivered receipts, and one that failed is
        /// tried again at the next entry, dropping more.)</summary>
        public async Task<List<string>> HoldingsAsync()
        {
            var held = new List<string>();
            foreach (var deal in deals)
            {
                var probe = await market.Market.TakeDealStepAsync(new DealCommand(deal.Id, DealStep.Confirm, DealSide.Buyer, null));
                held.Add($"{probe.Outcome} {probe.Status}");
            }

            return held;
        }

        public async Task TakeAsync(Command command, int n)
        {
            var today = ClusterFixture.Clock.Today();
            Answers.Add(await AnswerAsync(command, n, today));
        }

        private async Task<string> AnswerAsync(Command command, int n, DateOnly today)
        {
            switch (command)
            {
                case Post(var kg, var ask):
                    var lot = market.Lot($"lot{n}", kg, 24_000 + 500 * ask, $"coop{n % 3}") with { HarvestFrom = today.AddDays(-1), HarvestTo = today.AddDays(1) };
                    LotIds.Add(lot.Id);
                    return Describe(await market.Market.PostLotAsync(lot, $"h{n}"));
                case Place(var kg, var price):
                    var request = market.Request($"request{n}", kg, 25_000 + 600 * price, $"buyer{n % 3}")
                        with { AllowPartial = kg % 3 != 0, DeliverFrom = today, DeliverBy = today.AddDays(2) };
                    RequestIds.Add(request.Id);
                    return Describe(await market.Market.PlaceRequestAsync(request, $"h{n}"));
                case Withdraw(var pick) when LotIds.Count > 0:
                    return (await market.Market.WithdrawLotAsync(LotIds[pick % LotIds.Count]))?.Status ?? "none";
                case Cancel(var pick) when RequestIds.Count > 0:
                    return (await market.Market.CancelRequestAsync(RequestIds[pick % RequestIds.Count]))?.Status ?? "none";
                case Shortfall(var pick, var kg) when deals.Count > 0:
                    var shortfall = await market.Market.ReportShortfallAsync(new LotShortfall(deals[pick % deals.Count].LotId, kg * 1_000L, $"s{n}"));
                    return $"{shortfall.Outcome} {shortfall.Lot?.Status} {shortfall.Lot?.RemainingGrams} {shortfall.QuantityGrams} {shortfall.LeastGrams}";
                case Step(var pick, var step) when deals.Count > 0:
                    var deal = deals[pick % deals.Count];
                    var side = DealLifecycle.MayTake(DealSide.Cooperative, step) ? DealSide.Cooperative : DealSide.Buyer;
                    try
                    {
                        // All, half or none of what the deal was made for: a shortfall may have shrunk it below that since.
                        var taken = await market.Market.TakeDealStepAsync(new DealCommand(deal.Id, step, side, $"k{n}",
                            step == DealStep.Deliver ? deal.QuantityGrams * (n % 3) / 2 : null, step == DealStep.Settle ? $"ref{n}" : null));
                        return $"{taken.Outcome} {taken.Status} {taken.Change?.Status}";
                    }
                    catch (ArgumentOutOfRangeException)
                    {
                        return "more than shipped";
                    }
                default:
                    return "nothing to act on";
            }
        }

        private string Describe(CommandResult<Receipt> result)
        {
            deals.AddRange(result.Value!.Deals);
            return $"{result.Outcome} {result.Value.Status} {result.Value.RemainingGrams} " +
                string.Join(",", result.Value.Deals.Select(d => $"{d.Id}:{d.LotId}>{d.RequestId}:{d.QuantityGrams}@{d.PriceVndPerKg}"));
        }
    }
}
