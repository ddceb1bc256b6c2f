using CoopMarket.Grains.Market;
using CoopMarket.Matching;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace CoopMarket.Grains.Tests.Market;

/// <summary>Deals written by earlier code — in deal records and inside journal entries, which a market replays on every
/// activation — still read after the reason became structured.</summary>
public sealed class DealCompatibilityTests
{
    private static readonly Serializer Serializer = new ServiceCollection()
        .AddSerializer(s => s.AddAssembly(typeof(Deal).Assembly).AddAssembly(typeof(DealCompatibilityTests).Assembly))
        .BuildServiceProvider()
        .GetRequiredService<Serializer>();

    [Fact]
    public void A_deal_written_with_its_reason_as_a_sentence_reads_with_that_sentence_and_no_structured_reason()
    {
        var written = new DealWithSentenceReason("deal-p-7-1", "lot", "request", "coop", "buyer", "p", 1_000_000, 25_000, 285, Deal.Proposed,
            "PriceTime: landed 25,285 VND/kg (ask 25,000 + transport 285 over 95 road-km); 17 days of shelf life left at delivery; lot #2 in arrival order",
            new DateOnly(2026, 12, 14), new DateOnly(2026, 12, 15), new DateTimeOffset(2026, 12, 1, 3, 0, 0, TimeSpan.Zero), false);

        var read = Serializer.Deserialize<Deal>(Serializer.SerializeToArray(written))!;

        Assert.Equal((written.Id, written.QuantityGrams, written.PriceVndPerKg, written.HarvestOn, written.MadeAt, written.BuyerVerified),
            (read.Id, read.QuantityGrams, read.PriceVndPerKg, read.HarvestOn, read.MadeAt, read.BuyerVerified));
        Assert.Null(read.Reason);
        Assert.Equal(written.Reason, read.ReasonText);
        Assert.Null(read.TraceCode);
    }

    [Fact]
    public void A_deal_with_a_structured_reason_and_a_trace_code_reads_back_equal()
    {
        var deal = new Deal("deal-p-8-1", "lot", "request", "coop", "buyer", "p", 1_000_000, 25_000, 285, Deal.Proposed,
            new DealReason(AllocationPolicy.ChainFirst, 25_285, 25_000, 285, 95, 17, 2, true), new DateOnly(2026, 12, 14), new DateOnly(2026, 12, 15),
            new DateTimeOffset(2026, 12, 1, 3, 0, 0, TimeSpan.Zero), TraceCode: TraceCode.New());

        Assert.Equal(deal, Serializer.Deserialize<Deal>(Serializer.SerializeToArray(deal)));
    }

    /// <summary>The deal's shape before reasons were structured (as of a9fca9c), field for field.</summary>
    [GenerateSerializer, Immutable]
    internal sealed record DealWithSentenceReason(
        [property: Id(0)] string Id,
        [property: Id(1)] string LotId,
        [property: Id(2)] string RequestId,
        [property: Id(3)] string CooperativeId,
        [property: Id(4)] string BuyerId,
        [property: Id(5)] string Product,
        [property: Id(6)] long QuantityGrams,
        [property: Id(7)] long PriceVndPerKg,
        [property: Id(8)] long TransportVndPerKg,
        [property: Id(9)] string Status,
        [property: Id(10)] string Reason,
        [property: Id(11)] DateOnly HarvestOn,
        [property: Id(12)] DateOnly DeliverOn,
        [property: Id(13)] DateTimeOffset MadeAt,
        [property: Id(14)] bool BuyerVerified = true);
}
