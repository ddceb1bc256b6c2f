namespace CoopMarket.Gateway.Contracts;

/// <summary>A value chain: <c>policy</c> is <c>PriceTime</c>, <c>ProRata</c>, <c>Capped</c> (with <c>capShare</c>), <c>ChainOnly</c> or <c>ChainFirst</c>.</summary>
/// <param name="Name">The chain's name.</param>
/// <param name="Products">The product codes the chain trades.</param>
/// <param name="Policy">How the chain's lots are allocated among requests.</param>
/// <param name="CapShare">For <c>Capped</c>: the largest share of a lot one buyer may take, above 0 and at most 1.</param>
public sealed record CreateValueChain(string? Name, IReadOnlyList<string>? Products, string? Policy, decimal? CapShare = null);

/// <summary>A cooperative joining a value chain. <c>role</c> is <c>producer</c>, <c>aggregator</c>, <c>processor</c> or <c>distributor</c>.</summary>
/// <param name="CooperativeId">The cooperative joining.</param>
/// <param name="Role">Its role in the chain.</param>
public sealed record AddChainMember(string? CooperativeId, string? Role);

/// <summary>A value chain and its members.</summary>
/// <param name="Id">The chain's id.</param>
/// <param name="Name">The chain's name.</param>
/// <param name="Products">The product codes it trades.</param>
/// <param name="Policy">Its allocation policy.</param>
/// <param name="CapShare">For <c>Capped</c>: the largest share of a lot one buyer may take.</param>
/// <param name="Members">Its member cooperatives.</param>
public sealed record ValueChainDto(string Id, string Name, IReadOnlyList<string> Products, string Policy, decimal? CapShare, IReadOnlyList<ChainMemberDto> Members);

/// <summary>A cooperative in a value chain.</summary>
/// <param name="CooperativeId">The member cooperative.</param>
/// <param name="Role">Its role: <c>producer</c>, <c>aggregator</c>, <c>processor</c> or <c>distributor</c>.</param>
public sealed record ChainMemberDto(string CooperativeId, string Role);
