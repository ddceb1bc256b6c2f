namespace CoopMarket.Grains.Participants;

/// <summary>The auto-confirm rules of one cooperative, keyed by the cooperative's id: their one owner. It stores each
/// change, then carries it to every market the cooperative sells in, where it takes effect as a journalled command,
/// so a market decides at match time from what it holds, without asking anyone.</summary>
public interface IAutoConfirmGrain : IGrainWithStringKey
{
    Task<AutoConfirmRules> GetAsync();

    /// <summary>Replaces the rules (the same rules again change nothing, and carry them on to any market not yet
    /// reached) and answers once every market has them, or a reminder keeps trying those it could not reach.</summary>
    /// <param name="buyerIds">Known buyers, without duplicates (the gateway checks them).</param>
    /// <param name="valueChainIds">Known value chains, without duplicates (the gateway checks them).</param>
    Task<AutoConfirmRules> SetAsync(IReadOnlyList<string> buyerIds, IReadOnlyList<string> valueChainIds);
}
