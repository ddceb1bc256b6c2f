using CoopMarket.Grains.Market;
using CoopMarket.Grains.Participants;
using CoopMarket.Matching;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace CoopMarket.Grains.Tests.Market;

/// <summary>Lots, requests, certificates, chains and deal reasons written while they carried grades, policies and schemes
/// as names — in records, snapshots and the journal entries a market replays on every activation — still read, with the
/// core's enums, after those moved to fields of their own.</summary>
public sealed class WireEnumCompatibilityTests
{
    private static readonly Serializer Serializer = new ServiceCollection()
        .AddSerializer(s => s.AddAssembly(typeof(LotTerms).Assembly).AddAssembly(typeof(WireEnumCompatibilityTests).Assembly))
        .BuildServiceProvider()
        .GetRequiredService<Serializer>();

    private static readonly GeoPlace DongLai = new("Đông Lai", 20.79, 105.43);

    // Written as its own type, so no type name goes with it: exactly the fields a stored record of the earlier shape holds.
    private static TRead Reread<TRead, TWritten>(TWritten written) => Serializer.Deserialize<TRead>(Serializer.SerializeToArray(written))!;

    [Fact]
    public void A_lot_written_with_its_grade_as_a_name_reads_with_that_grade()
    {
        var written = new LotWithGradeName("lot-1", "coop", "dragon-fruit", 3_000_000, "A", [], new DateOnly(2026, 12, 10),
            new DateOnly(2026, 12, 20), 25_000, 0, DongLai, ["chain"]);

        var read = Reread<LotTerms, LotWithGradeName>(written);

        Assert.Equal(Grade.A, read.Grade);
        Assert.Equal((written.Id, written.QuantityGrams, written.AskVndPerKg, written.HarvestTo, written.ValueChains.Single()),
            (read.Id, read.QuantityGrams, read.AskVndPerKg, read.HarvestTo, read.ValueChains.Single()));
    }

    [Fact]
    public void A_certificate_written_with_its_scheme_as_a_name_reads_with_that_scheme_ocop_in_capitals_too()
    {
        var organic = Reread<CertificationInfo, CertificationWithSchemeName>(new CertificationWithSchemeName("Organic", null, new DateOnly(2027, 6, 30)));
        var ocop = Reread<CertificationInfo, CertificationWithSchemeName>(new CertificationWithSchemeName("OCOP", 4));

        Assert.Equal(CertificationScheme.Organic, organic.Scheme);
        Assert.Equal(new DateOnly(2027, 6, 30), organic.ValidUntil);
        Assert.Equal((CertificationScheme.Ocop, 4), (ocop.Scheme, ocop.Stars));
    }

    [Fact]
    public void A_request_written_with_its_grade_schemes_and_policy_as_names_reads_with_them()
    {
        var inChain = Reread<RequestTerms, RequestWithNames>(new RequestWithNames("request-1", "buyer", "dragon-fruit", 1_000_000, "B", ["GlobalGAP", "VietGAP"], 0,
            new DateOnly(2026, 12, 15), new DateOnly(2026, 12, 28), 30_000, DongLai, true, "chain", "Capped", 0.5m, "scope"));
        var outside = Reread<RequestTerms, RequestWithNames>(new RequestWithNames("request-2", "buyer", "dragon-fruit", 1_000_000, "C", [], 0,
            new DateOnly(2026, 12, 15), new DateOnly(2026, 12, 28), 30_000, DongLai, true, null, null, null));

        Assert.Equal((Grade.B, AllocationPolicy.Capped, 0.5m, "scope"), (inChain.MinGrade, inChain.ChainPolicy, inChain.ChainCapShare, inChain.AllowanceScope));
        Assert.Equal([CertificationScheme.GlobalGAP, CertificationScheme.VietGAP], inChain.RequiredCertifications);
        Assert.Equal((Grade.C, (AllocationPolicy?)null), (outside.MinGrade, outside.ChainPolicy));
        Assert.Empty(outside.RequiredCertifications);
    }

    [Fact]
    public void A_chain_and_a_deal_reason_written_with_the_policy_as_a_name_read_with_that_policy()
    {
        var chain = Reread<ValueChain, ChainWithPolicyName>(new ChainWithPolicyName("chain-1", "Chuỗi", ["dragon-fruit"], "ChainFirst", null, []));
        var reason = Reread<DealReason, ReasonWithPolicyName>(new ReasonWithPolicyName("ProRata", 25_285, 25_000, 285, 95, 17, 2, true));

        Assert.Equal((AllocationPolicy.ChainFirst, "Chuỗi"), (chain.Policy, chain.Name));
        Assert.Equal((AllocationPolicy.ProRata, 25_285L, true), (reason.Policy, reason.LandedVndPerKg, reason.ValueChainMember));
    }

    [Fact]
    public void Records_written_with_the_enums_read_back_equal()
    {
        var lot = new LotTerms("lot-2", "coop", "dragon-fruit", 3_000_000, Grade.B, [new CertificationInfo(CertificationScheme.Ocop, 3)],
            new DateOnly(2026, 12, 10), new DateOnly(2026, 12, 20), 25_000, 0, DongLai, []);
        var request = new RequestTerms("request-3", "buyer", "dragon-fruit", 1_000_000, Grade.A, [CertificationScheme.Organic], 2,
            new DateOnly(2026, 12, 15), new DateOnly(2026, 12, 28), 30_000, DongLai, false, "chain", AllocationPolicy.ChainOnly, null);
        var chain = new ValueChain("chain-2", "Chuỗi", ["dragon-fruit"], AllocationPolicy.Capped, 0.4m, []);

        var readLot = Reread<LotTerms, LotTerms>(lot);
        var readRequest = Reread<RequestTerms, RequestTerms>(request);

        Assert.Equal((Grade.B, CertificationScheme.Ocop, 3), (readLot.Grade, readLot.Certifications.Single().Scheme, readLot.Certifications.Single().Stars));
        Assert.Equal((Grade.A, AllocationPolicy.ChainOnly, false), (readRequest.MinGrade, readRequest.ChainPolicy, readRequest.AllowPartial));
        Assert.Equal([CertificationScheme.Organic], readRequest.RequiredCertifications);
        Assert.Equal(AllocationPolicy.Capped, Reread<ValueChain, ValueChain>(chain).Policy);
    }

    /// <summary>The lot's shape while its grade was a name (as of f64934d), field for field; field 5's type has not changed.</summary>
    [GenerateSerializer, Immutable]
    internal sealed record LotWithGradeName(
        [property: Id(0)] string Id,
        [property: Id(1)] string CooperativeId,
        [property: Id(2)] string Product,
        [property: Id(3)] long QuantityGrams,
        [property: Id(4)] string Grade,
        [property: Id(5)] IReadOnlyList<CertificationInfo> Certifications,
        [property: Id(6)] DateOnly HarvestFrom,
        [property: Id(7)] DateOnly HarvestTo,
        [property: Id(8)] long AskVndPerKg,
        [property: Id(9)] long MinOrderGrams,
        [property: Id(10)] GeoPlace Pickup,
        [property: Id(11)] IReadOnlyList<string> ValueChains);

    /// <summary>The certificate's shape while its scheme was a name (as of f64934d).</summary>
    [GenerateSerializer, Immutable]
    internal sealed record CertificationWithSchemeName(
        [property: Id(0)] string Scheme,
        [property: Id(1)] int? Stars = null,
        [property: Id(2)] DateOnly? ValidUntil = null);

    /// <summary>The request's shape while its grade, schemes and policy were names (as of f64934d).</summary>
    [GenerateSerializer, Immutable]
    internal sealed record RequestWithNames(
        [property: Id(0)] string Id,
        [property: Id(1)] string BuyerId,
        [property: Id(2)] string Product,
        [property: Id(3)] long QuantityGrams,
        [property: Id(4)] string MinGrade,
        [property: Id(5)] IReadOnlyList<string> RequiredCertifications,
        [property: Id(6)] int MinOcopStars,
        [property: Id(7)] DateOnly DeliverFrom,
        [property: Id(8)] DateOnly DeliverBy,
        [property: Id(9)] long MaxVndPerKg,
        [property: Id(10)] GeoPlace DeliverTo,
        [property: Id(11)] bool AllowPartial,
        [property: Id(12)] string? ValueChainId,
        [property: Id(13)] string? ChainPolicy,
        [property: Id(14)] decimal? ChainCapShare,
        [property: Id(15)] string? AllowanceScope = null);

    /// <summary>The value chain's shape while its policy was a name (as of f64934d).</summary>
    [GenerateSerializer, Immutable]
    internal sealed record ChainWithPolicyName(
        [property: Id(0)] string Id,
        [property: Id(1)] string Name,
        [property: Id(2)] IReadOnlyList<string> Products,
        [property: Id(3)] string Policy,
        [property: Id(4)] decimal? CapShare,
        [property: Id(5)] IReadOnlyList<ChainMember> Members);

    /// <summary>The deal reason's shape while its policy was a name (as of f64934d).</summary>
    [GenerateSerializer, Immutable]
    internal sealed record ReasonWithPolicyName(
        [property: Id(0)] string Policy,
        [property: Id(1)] long LandedVndPerKg,
        [property: Id(2)] long AskVndPerKg,
        [property: Id(3)] long TransportVndPerKg,
        [property: Id(4)] int RoadKm,
        [property: Id(5)] int ShelfLifeDaysAtDelivery,
        [property: Id(6)] long ArrivalRank,
        [property: Id(7)] bool ValueChainMember);
}
