namespace CoopMarket.Grains.Participants;

/// <summary>A value chain: producers linked to buyers for some products, with the policy that shares its orders.</summary>
/// <param name="Policy"><c>PriceTime</c>, <c>ProRata</c>, <c>Capped</c>, <c>ChainOnly</c> or <c>ChainFirst</c>.</param>
/// <param name="CapShare">For <c>Capped</c>: the largest share of one request one cooperative may take.</param>
[GenerateSerializer, Immutable]
public sealed record ValueChain(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] IReadOnlyList<string> Products,
    [property: Id(3)] string Policy,
    [property: Id(4)] decimal? CapShare,
    [property: Id(5)] IReadOnlyList<ChainMember> Members);

[GenerateSerializer, Immutable]
public sealed record ChainMember([property: Id(0)] string CooperativeId, [property: Id(1)] string Role);
