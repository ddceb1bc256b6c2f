using CoopMarket.Matching;

namespace CoopMarket.Grains.Market;

/// <summary>Why the market gave a lot to a request: the ranking keys it compared, as numbers, so each reader can put them
/// into its own words (the gateway renders a Vietnamese and an English sentence from them).</summary>
/// <param name="Policy">The allocation policy the request was filled under.</param>
/// <param name="LandedVndPerKg">Ask plus transport: what a kilogram costs the buyer at its door; lowest first.</param>
/// <param name="AskVndPerKg">The lot's farm-gate ask.</param>
/// <param name="TransportVndPerKg">The estimated transport cost from pickup to delivery.</param>
/// <param name="RoadKm">The road distance that transport cost was estimated over.</param>
/// <param name="ShelfLifeDaysAtDelivery">Days of shelf life left when the goods arrive; most first.</param>
/// <param name="ArrivalRank">The lot's place in the market's arrival order (lots and requests counted together, 1 the
/// first): the last key, earliest first.</param>
/// <param name="ValueChainMember">Whether the lot's cooperative belongs to the request's value chain (the first key where
/// the policy ranks members first).</param>
/// <remarks>Field 0 held the policy as its name until the records carried the core's enums; the policy took a new field
/// (8), so deals written before (in records and journal entries) still read, their policy parsed from that name.</remarks>
[GenerateSerializer, Immutable]
public sealed record DealReason(
    AllocationPolicy Policy,
    [property: Id(1)] long LandedVndPerKg,
    [property: Id(2)] long AskVndPerKg,
    [property: Id(3)] long TransportVndPerKg,
    [property: Id(4)] int RoadKm,
    [property: Id(5)] int ShelfLifeDaysAtDelivery,
    [property: Id(6)] long ArrivalRank,
    [property: Id(7)] bool ValueChainMember)
{
    [Id(8)] private readonly AllocationPolicy? policy = Policy;

    public AllocationPolicy Policy { get => policy ?? EarlierSpelling.Policy(PolicyName); init => policy = value; }

    /// <summary>The policy's name, as reasons written before field 8 hold it; null on every reason written since.</summary>
    [Id(0)] private string? PolicyName { get; init; }
}
