using CoopMarket.Grains.Participants;

namespace CoopMarket.Grains.Market;

// Auto-confirmation: cooperatives' rules are entries of this journal, so the market decides at match time, in the
// turn that makes the deal, from what it holds; a rule reaches the deals made after the entry that set it.
internal sealed partial class MarketGrain
{
    private readonly Dictionary<string, AutoConfirmRules> autoConfirm = new(StringComparer.Ordinal);

    // Cooperatives this activation asked for their rules. A change reaches only the markets its cooperative sold in
    // then, so a market asks a cooperative it holds no rules of once, at a lot it posts, before it matches the lot.
    private readonly HashSet<string> rulesAsked = new(StringComparer.Ordinal);

    Task IMarketGrain.SetAutoConfirmAsync(string cooperativeId, AutoConfirmRules rules) => InTurnAsync(() => SetRulesAsync(cooperativeId, rules));

    private async Task SetRulesAsync(string cooperativeId, AutoConfirmRules rules)
    {
        Ready();
        if (autoConfirm.GetValueOrDefault(cooperativeId) is { } held && held.Version >= rules.Version)
        {
            return;
        }

        await ChangeAsync(number => new MarketEntry(number, clock.GetUtcNow(), MarketEntryKind.AutoConfirmSet, null, null, cooperativeId, 0,
            [], null, null, [], [], AutoConfirm: rules));
    }

    /// <summary>Takes the rules a cooperative set before it sold here, which its rules' owner did not carry to this market.</summary>
    private async Task AskRulesAsync(string cooperativeId)
    {
        if (autoConfirm.ContainsKey(cooperativeId) || rulesAsked.Contains(cooperativeId))
        {
            return;
        }

        if (await GrainFactory.GetGrain<IAutoConfirmGrain>(cooperativeId).GetAsync() is { Version: > 0 } rules)
        {
            await SetRulesAsync(cooperativeId, rules);
        }

        rulesAsked.Add(cooperativeId);
    }

    /// <summary>A deal as the market makes it: confirmed already when its cooperative's rules say so and its buyer is
    /// verified, with no deadline to meet; proposed otherwise.</summary>
    private Deal ByRules(Deal deal) => ConfirmingRule(deal) is null ? deal : deal with { Status = Deal.Confirmed, ConfirmBy = null };

    private string? ConfirmingRule(Deal deal) =>
        deal.BuyerVerified && autoConfirm.TryGetValue(deal.CooperativeId, out var rules)
            ? rules.Confirming(deal.BuyerId, requests[deal.RequestId].ValueChainId)
            : null;

    /// <summary>The entry with the confirmation step of every deal it made confirmed, taken by the rule for the
    /// cooperative, so the deal's record and both inboxes hear of the confirmation as of one a person took.</summary>
    private MarketEntry WithRuleConfirmations(MarketEntry entry)
    {
        List<DealChange> confirmations = [.. entry.Deals.Where(d => d.Status == Deal.Confirmed).Select(d => new DealChange(d.Id, entry.Number,
            Deal.Confirmed, d.MadeAt, d.LotId, d.RequestId, d.CooperativeId, d.BuyerId, d.QuantityGrams, DealSide.Cooperative, Key: null,
            Rule: ConfirmingRule(d)))];
        return confirmations.Count == 0 ? entry : entry with { DealChanges = [.. entry.DealChanges ?? [], .. confirmations] };
    }

    /// <summary>Live or replayed: the rules an entry set replace the cooperative's.</summary>
    private void SettleAutoConfirm(MarketEntry entry)
    {
        if (entry is { Kind: MarketEntryKind.AutoConfirmSet, TargetId: { } cooperativeId, AutoConfirm: { } rules })
        {
            autoConfirm[cooperativeId] = rules;
        }
    }
}
