namespace CoopMarket.Gateway.Contracts;

/// <summary>A value chain: <c>policy</c> is <c>PriceTime</c>, <c>ProRata</c>, <c>Capped</c> (with <c>capShare</c>), <c>ChainOnly</c> or <c>ChainFirst</c>.</summary>
public sealed record CreateValueChain(string? Name, IReadOnlyList<string>? Products, string? Policy, decimal? CapShare = null);

/// <summary><c>role</c> is <c>producer</c>, <c>aggregator</c>, <c>processor</c> or <c>distributor</c>.</summary>
public sealed record AddChainMember(string? CooperativeId, string? Role);

public sealed record ValueChainDto(string Id, string Name, IReadOnlyList<string> Products, string Policy, decimal? CapShare, IReadOnlyList<ChainMemberDto> Members);

public sealed record ChainMemberDto(string CooperativeId, string Role);
