using CoopMarket.Matching;

namespace CoopMarket.Grains.Participants;

/// <summary>A value chain: producers linked to buyers for some products, with the policy that shares its orders.</summary>
/// <param name="CapShare">For <see cref="AllocationPolicy.Capped"/>: the largest share of one request one cooperative may take.</param>
/// <remarks>Field 3 held the policy as its name until the records carried the core's enums; the policy took a new field
/// (6), so chains written before still read, their policy parsed from that name.</remarks>
[GenerateSerializer, Immutable]
public sealed record ValueChain(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] IReadOnlyList<string> Products,
    AllocationPolicy Policy,
    [property: Id(4)] decimal? CapShare,
    [property: Id(5)] IReadOnlyList<ChainMember> Members)
{
    [Id(6)] private readonly AllocationPolicy? policy = Policy;

    public AllocationPolicy Policy { get => policy ?? Market.EarlierSpelling.Policy(PolicyName); init => policy = value; }

    /// <summary>The policy's name, as chains written before field 6 hold it; null on every chain written since.</summary>
    [Id(3)] private string? PolicyName { get; init; }
}

[GenerateSerializer, Immutable]
public sealed record ChainMember([property: Id(0)] string CooperativeId, [property: Id(1)] string Role);
