namespace CoopMarket.Matching;

/// <summary>Why a lot was matched to a request: the ranking keys, in the order they were compared.</summary>
/// <param name="Policy">The allocation policy the request was filled under.</param>
/// <param name="ChainMember">Whether the lot's cooperative belongs to the request's value chain (the first key where the policy ranks members first).</param>
/// <param name="LandedVndPerKg">Ask plus transport: the second key, lowest first.</param>
/// <param name="ShelfDaysLeftAtDelivery">Days of shelf life left on arrival: the third key, most first.</param>
/// <param name="LotSequence">The lot's arrival order: the last key, earliest first.</param>
public sealed record MatchReason(
    AllocationPolicy Policy,
    bool ChainMember,
    long LandedVndPerKg,
    long AskVndPerKg,
    long TransportVndPerKg,
    int RoadKm,
    int ShelfDaysLeftAtDelivery,
    long LotSequence);
