using CoopMarket.Grains.Market;
using CsCheck;

namespace CoopMarket.Grains.Tests.Market;

/// <summary>A market rebuilt from its snapshot and journal is the market that wrote them: run the same random
/// commands on two markets, rebuild one of them part-way (past a snapshot), and both answer the rest alike.</summary>
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

    private static readonly Gen<Command> GenCommand = Gen.Frequency(
        (5, Gen.Select(Gen.Int[1, 40], Gen.Int[0, 10], Gen.Int[0, 3], (kg, ask, coop) => (Command)new Post(kg, ask, coop))),
        (5, Gen.Select(Gen.Int[1, 60], Gen.Int[0, 10], Gen.Bool, (kg, price, partial) => (Command)new Place(kg, price, partial))),
        (1, Gen.Int[0, 1_000].Select(pick => (Command)new Withdraw(pick))),
        (1, Gen.Int[0, 1_000].Select(pick => (Command)new Cancel(pick))),
        (2, Gen.Select(Gen.Int[0, 1_000], Gen.Int[0, 20], (pick, kg) => (Command)new Shortfall(pick, kg))),
        (4, Gen.Select(Gen.Int[0, 1_000], Gen.Enum<DealStep>(), Gen.Bool, (pick, step, buyer) => (Command)new Step(pick, step, buyer))));

    [Fact]
    public async Task A_market_rebuilt_from_snapshot_and_journal_answers_like_the_one_that_wrote_them()
    {
        // 205–235 commands before the rebuild: past the snapshot at entry 200, with entries after it to replay.
        var gen = Gen.Select(GenCommand.Array[205, 235], GenCommand.Array[20, 30]);
        await gen.SampleAsync(async commands =>
        {
            var (before, after) = commands;
            var rebuilt = new MarketScenario(fixture.Grains, "rebuilt");
            var control = new MarketScenario(fixture.Grains, "control");
            await rebuilt.CreateProductAsync();
            await control.CreateProductAsync();

            var rebuiltDeals = new List<Deal>();
            await RunAsync(rebuilt, before, rebuiltDeals);
            await fixture.DeactivateAllAsync();
            var rebuiltAnswers = await RunAsync(rebuilt, after, rebuiltDeals, offset: before.Length);
            var controlAnswers = (await RunAsync(control, [.. before, .. after], [])).Skip(before.Length).ToList();

            Assert.Equal(controlAnswers.Select(a => a.Replace(control.Product, "P", StringComparison.Ordinal)),
                rebuiltAnswers.Select(a => a.Replace(rebuilt.Product, "P", StringComparison.Ordinal)));
            Assert.Equal(Normalise(await control.Market.GetSummaryAsync()), Normalise(await rebuilt.Market.GetSummaryAsync()));
        }, iter: 2, threads: 1);
    }

    /// <summary>Runs the commands and writes down every answer, ids included.</summary>
    private static async Task<List<string>> RunAsync(MarketScenario market, IReadOnlyList<Command> commands, List<Deal> deals, int offset = 0)
    {
        var answers = new List<string>();
        for (var i = 0; i < commands.Count; i++)
        {
            var n = offset + i;
            answers.Add(commands[i] switch
            {
                Post(var kg, var ask, var coop) => Describe(await market.Market.PostLotAsync(market.Lot($"lot{n}", kg, 24_000 + 500 * ask, $"coop{coop}"), $"h{n}"), deals),
                Place(var kg, var price, var partial) => Describe(await market.Market.PlaceRequestAsync(
                    market.Request($"request{n}", kg, 25_000 + 600 * price) with { AllowPartial = partial }, $"h{n}"), deals),
                Step(var pick, var step, var byBuyer) when deals.Count > 0 => await DescribeAsync(() => market.Market.TakeDealStepAsync(new DealCommand(
                    deals[pick % deals.Count].Id, step, byBuyer ? DealSide.Buyer : DealSide.Cooperative, $"k{n}",
                    step == DealStep.Deliver ? deals[pick % deals.Count].QuantityGrams / 2 : null, step == DealStep.Settle ? $"ref{n}" : null))),
                Step => "no deal yet",
                Withdraw(var pick) => (await market.Market.WithdrawLotAsync($"{market.Product}-lot{pick % (n + 1)}"))?.Status ?? "none",
                Cancel(var pick) => (await market.Market.CancelRequestAsync($"{market.Product}-request{pick % (n + 1)}"))?.Status ?? "none",
                Shortfall(var pick, var kg) when deals.Count > 0 => Describe(await market.Market.ReportShortfallAsync(
                    new LotShortfall(deals[pick % deals.Count].LotId, kg * 1_000L, $"s{n}"))),
                Shortfall => "no deal yet",
                _ => throw new InvalidOperationException(),
            });
        }

        return answers;
    }

    /// <summary>A delivery of half a deal's first quantity is refused once a shortfall has shrunk the deal below it.</summary>
    private static async Task<string> DescribeAsync(Func<Task<DealStepResult>> step)
    {
        try
        {
            return Describe(await step());
        }
        catch (ArgumentOutOfRangeException)
        {
            return "more than shipped";
        }
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
