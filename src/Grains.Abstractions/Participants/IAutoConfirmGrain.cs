using Orleans.Concurrency;

namespace CoopMarket.Grains.Participants;

/// <summary>The auto-confirm rules of one cooperative, keyed by the cooperative's id: their one owner. It stores each
/// change, then carries it to every market the cooperative sells in, where it takes effect as a journalled command,
/// so a market decides at match time from what it holds; a market the cooperative starts selling in after a change
/// asks for the rules once, at its first lot there.</summary>
public interface IAutoConfirmGrain : IGrainWithStringKey
{
    /// <summary>The stored rules. It interleaves: a market asks for them at a lot it posts while this grain may be
    /// waiting on that very market to take a change.</summary>
    [AlwaysInterleave]
    Task<AutoConfirmRules> GetAsync();

    /// <summary>Replaces the rules (the same rules again change nothing, and carry them on to any market not yet
    /// reached) and answers once every market has them, or a reminder keeps trying those it could not reach.</summary>
    /// <param name="buyerIds">Known buyers, without duplicates (the gateway checks them).</param>
    /// <param name="valueChainIds">Known value chains, without duplicates (the gateway checks them).</param>
    Task<AutoConfirmRules> SetAsync(IReadOnlyList<string> buyerIds, IReadOnlyList<string> valueChainIds);
}
