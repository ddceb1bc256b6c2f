using CoopMarket.Grains.Market;
using CsCheck;

namespace CoopMarket.Grains.Tests.Market;

/// <summary>A market rebuilt from its snapshot and journal is the market that wrote them: run the same random
/// commands on two markets, rebuild one of them twice on the way (each a few entries past a snapshot), and both answer
/// the rest alike and hold every deal alike.</summary>
/// <remarks>The second rebuild reads a snapshot whose pages were written by both snapshots, those the second rewrote
/// and those it kept from the first: a change the second snapshot missed shows as a different answer.</remarks>
/// <remarks>The commands include moves of the market clock, so deals pass their confirmation deadline and requests their
/// delivery window, and expire, before and after the rebuild. The clock is shared, so both markets take each command in
/// turn (lockstep): they see every command at the same market time.</remarks>
[Collection(ClusterCollection.Name)]
public sealed class MarketRebuildPropertyTests(ClusterFixture fixture)
{
    private abstract record Command;

    private sealed record Post(int Kg, int AskStep, int Cooperative) : Command;

    private sealed record Place(int Kg, int PriceStep, bool AllowPartial) : Command;

    private sealed record Withdraw(int Pick) : Command;

    private sealed record Cancel(int Pick) : Command;

    /// <summary>The lot of one of the deals made so far falls short to this many kilograms.</summary>
    private sealed record Shortfall(int Pick, int Kg) : Command;

    /// <summary>A step on one of the deals made so far, by the side it belongs to (cancel: by either).</summary>
    private sealed record Step(int Pick, DealStep DealStep, bool ByBuyer) : Command;

    /// <summary>The market clock moves on, up to <see cref="MostAdvance"/> in all per run.</summary>
    private sealed record Advance(int Hours) : Command;

    /// <summary>Enough to pass the first midnight in Vietnam (today's deliveries' confirmation deadline, today's
    /// windows' end) from the hour each run starts at, <see cref="RunsStartAt"/>.</summary>
    private static readonly TimeSpan MostAdvance = TimeSpan.FromHours(16);

    /// <summary>The market's hour each run starts at. The clock is the whole collection's, so without it the hour would be
    /// whatever the tests run before left: from just past midnight, <see cref="MostAdvance"/> passes no deadline at all.</summary>
    private static readonly TimeSpan RunsStartAt = TimeSpan.FromHours(10);

    private static readonly Gen<Command> GenCommand = Gen.Frequency(
        (5, Gen.Select(Gen.Int[1, 40], Gen.Int[0, 10], Gen.Int[0, 3], (kg, ask, coop) => (Command)new Post(kg, ask, coop))),
        (5, Gen.Select(Gen.Int[1, 60], Gen.Int[0, 10], Gen.Bool, (kg, price, partial) => (Command)new Place(kg, price, partial))),
        (1, Gen.Int[0, 1_000].Select(pick => (Command)new Withdraw(pick))),
        (1, Gen.Int[0, 1_000].Select(pick => (Command)new Cancel(pick))),
        (2, Gen.Select(Gen.Int[0, 1_000], Gen.Int[0, 20], (pick, kg) => (Command)new Shortfall(pick, kg))),
        (4, Gen.Select(Gen.Int[0, 1_000], Gen.Enum<DealStep>(), Gen.Bool, (pick, step, buyer) => (Command)new Step(pick, step, buyer))),
        (1, Gen.Int[1, 6].Select(hours => (Command)new Advance(hours))));

    [Fact]
    public async Task A_market_rebuilt_from_snapshot_and_journal_answers_like_the_one_that_wrote_them()
    {
        // The rebuilt market goes twice: each time a few commands (the gap: entries to replay) after a snapshot, at entry
        // 200 and then 400, has landed. Commands make about 0.6 entries each, so 820 and more pass both.
        var gen = Gen.Select(GenCommand.Array[820, 860], Gen.Int[1, 30], Gen.Int[1, 30]);
        var expired = 0;
        await gen.SampleAsync(async commands =>
        {
            var (all, firstGap, secondGap) = commands;
            StartAtTheRunsHour();
            var rebuilt = new Run(new MarketScenario(fixture.Grains, "rebuilt"));
            var control = new Run(new MarketScenario(fixture.Grains, "control"));
            await rebuilt.Market.CreateProductAsync();
            await control.Market.CreateProductAsync();

            var advanced = TimeSpan.Zero;
            int[] gaps = [firstGap, secondGap];
            var rebuilds = 0;
            int? rebuildAt = null;
            for (var n = 0; n < all.Length; n++)
            {
                if (rebuilds < gaps.Length && rebuildAt is null
                    && (await StoredSnapshot.ReadAsync(rebuilt.Market.Product))?.ThroughEntry >= 200 * (rebuilds + 1))
                {
                    rebuildAt = n + gaps[rebuilds];
                }

                if (n == rebuildAt)
                {
                    await rebuilt.Market.DeactivateAsync();
                    rebuilds++;
                    rebuildAt = null;
                }

                if (all[n] is Advance(var hours))
                {
                    var step = TimeSpan.FromHours(hours);
                    if (advanced + step <= MostAdvance)
                    {
                        ClusterFixture.Clock.Advance(step);
                        advanced += step;
                    }

                    continue;
                }

                await rebuilt.TakeAsync(all[n], n);
                await control.TakeAsync(all[n], n);
            }

            Assert.Equal(2, rebuilds);
            Assert.Equal(control.Answers.Select(a => a.Replace(control.Market.Product, "P", StringComparison.Ordinal)),
                rebuilt.Answers.Select(a => a.Replace(rebuilt.Market.Product, "P", StringComparison.Ordinal)));
            Assert.Equal(Normalise(await control.Market.Market.GetSummaryAsync()), Normalise(await rebuilt.Market.Market.GetSummaryAsync()));
            Assert.Equal(await control.DealStatusesAsync(), await rebuilt.DealStatusesAsync());
            expired += await rebuilt.CountAsync(Deal.Expired, fixture.Grains);
        }, iter: 2, threads: 1);

        // The clock's moves did their part: some deal passed its deadline and the market expired it.
        Assert.True(expired > 0, "no deal expired in any run");
    }

    /// <summary>Moves the shared clock on to the next <see cref="RunsStartAt"/> of the market's day.</summary>
    private static void StartAtTheRunsHour()
    {
        var now = ClusterFixture.Clock.GetUtcNow().ToOffset(MarketTime.VietnamOffset);
        var start = new DateTimeOffset(now.Date + RunsStartAt, MarketTime.VietnamOffset);
        ClusterFixture.Clock.Advance((start < now ? start.AddDays(1) : start) - now);
    }

    /// <summary>One market taking the commands, its deals so far and every answer, ids included. Lots and requests
    /// are dated from the market's today, as the gateway would accept them: deals are due today or tomorrow, so a few
    /// hours of the clock pass their confirmation deadline and close requests' windows.</summary>
    private sealed class Run(MarketScenario market)
    {
        private readonly List<Deal> deals = [];

        public MarketScenario Market => market;

        public List<string> Answers { get; } = [];

        public async Task<int> CountAsync(string status, IGrainFactory grains) =>
            (await Task.WhenAll(deals.Select(d => grains.GetGrain<IDealGrain>(d.Id).GetAsync()))).Count(d => d?.Status == status);

        /// <summary>What the market holds of each deal made: a step the buyer may not take changes nothing and answers the
        /// deal's status as the market has it, including deals no later command happened to step.</summary>
        public async Task<List<string>> DealStatusesAsync()
        {
            var statuses = new List<string>(deals.Count);
            foreach (var deal in deals)
            {
                var probe = await market.Market.TakeDealStepAsync(new DealCommand(deal.Id, DealStep.Confirm, DealSide.Buyer, null));
                statuses.Add($"{probe.Outcome} {probe.Status}");
            }

            return statuses;
        }

        /// <summary>Takes one command and keeps its answer. A refusal is an answer too: a delivery of half the deal's first
        /// quantity is more than a deal a shortfall has since cut down shipped, and both markets must refuse it alike.</summary>
        public async Task TakeAsync(Command command, int n)
        {
            var today = ClusterFixture.Clock.Today();
            try
            {
                Answers.Add(await AnswerAsync(command, n, today));
            }
            catch (ArgumentException refused)
            {
                Answers.Add($"refused: {refused.Message}");
            }
        }

        private async Task<string> AnswerAsync(Command command, int n, DateOnly today) => command switch
        {
            Post(var kg, var ask, var coop) => Describe(await market.Market.PostLotAsync(market.Lot($"lot{n}", kg, 24_000 + 500 * ask, $"coop{coop}")
                with { HarvestFrom = today.AddDays(-1), HarvestTo = today.AddDays(1) }, $"h{n}"), deals),
            Place(var kg, var price, var partial) => Describe(await market.Market.PlaceRequestAsync(
                market.Request($"request{n}", kg, 25_000 + 600 * price) with { AllowPartial = partial, DeliverFrom = today, DeliverBy = today.AddDays(kg % 2) },
                $"h{n}"), deals),
            Step(var pick, var step, var byBuyer) when deals.Count > 0 => Describe(await market.Market.TakeDealStepAsync(new DealCommand(
                deals[pick % deals.Count].Id, step, byBuyer ? DealSide.Buyer : DealSide.Cooperative, $"k{n}",
                step == DealStep.Deliver ? deals[pick % deals.Count].QuantityGrams / 2 : null, step == DealStep.Settle ? $"ref{n}" : null))),
            Step => "no deal yet",
            Withdraw(var pick) => (await market.Market.WithdrawLotAsync($"{market.Product}-lot{pick % (n + 1)}"))?.Status ?? "none",
            Cancel(var pick) => (await market.Market.CancelRequestAsync($"{market.Product}-request{pick % (n + 1)}"))?.Status ?? "none",
            Shortfall(var pick, var kg) when deals.Count > 0 => Describe(await market.Market.ReportShortfallAsync(
                new LotShortfall(deals[pick % deals.Count].LotId, kg * 1_000L, $"s{n}"))),
            Shortfall => "no deal yet",
            _ => throw new InvalidOperationException(),
        };
    }

    private static string Describe(ShortfallResult result) =>
        $"{result.Outcome} {result.Lot?.Status} {result.Lot?.RemainingGrams} {result.Lot?.ShortfallGrams} {result.QuantityGrams} {result.LeastGrams}";

    private static string Describe(DealStepResult result) =>
        $"{result.Outcome} {result.Status} {result.Change?.Status} {result.Change?.TraceCode is not null}";

    private static string Describe(CommandResult<Receipt> result, List<Deal> deals)
    {
        deals.AddRange(result.Value!.Deals);
        return Describe(result);
    }

    private static string Describe(CommandResult<Receipt> result) =>
        $"{result.Outcome} {result.Value!.Status} {result.Value.RemainingGrams} " +
        string.Join(",", result.Value.Deals.Select(d => $"{d.Id}:{d.LotId}>{d.RequestId}:{d.QuantityGrams}@{d.PriceVndPerKg}/{d.DeliverOn}"));

    private static string Normalise(MarketSummary summary) =>
        string.Join(";", summary.OpenSupply.Select(b => $"{b.Grade}{b.FromVndPerKg}:{b.Lots}/{b.Grams}")) + "|" +
        string.Join(";", summary.OpenDemand.Select(b => $"{b.MinGrade}{b.FromVndPerKg}:{b.Requests}/{b.Grams}")) + "|" +
        string.Join(";", summary.RecentDeals.Select(p => $"{p.PriceVndPerKg}/{p.Grams}"));
}
