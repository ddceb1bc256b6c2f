using Orleans.Concurrency;

namespace CoopMarket.Grains.Market;

/// <summary>The market of one product, keyed by product code: the single owner of the unsold kilograms of its
/// lots and the unfilled kilograms of its requests. Every change is journalled before it is answered.</summary>
public interface IMarketGrain : IGrainWithStringKey
{
    /// <summary>Posts a lot and matches it against resting requests. <paramref name="bodyHash"/> identifies the
    /// client's body, so a retry of the same lot id is answered from the first receipt. <paramref name="retried"/>
    /// says the lot's record was claimed before (<see cref="Claim.Retried"/>): a receipt the market has let go of is
    /// then looked up in the record, so a late retry never posts the lot a second time.</summary>
    Task<CommandResult<Receipt>> PostLotAsync(LotTerms lot, string bodyHash, bool retried = false);

    /// <summary>Places a request and fills it from the book as its policy allows; <paramref name="retried"/> as for lots.</summary>
    Task<CommandResult<Receipt>> PlaceRequestAsync(RequestTerms request, string bodyHash, bool retried = false);

    /// <summary>Withdraws the unsold rest of a lot; null when the market does not know the lot.</summary>
    Task<LotView?> WithdrawLotAsync(string lotId);

    /// <summary>Lowers a lot's quantity after a poor harvest: its unsold rest shrinks first, then its deals that have not
    /// shipped, newest first; each request that lost grams is sourced again at once from other lots, its value chain's
    /// first. One journal entry.</summary>
    Task<ShortfallResult> ReportShortfallAsync(LotShortfall shortfall);

    /// <summary>Cancels the unfilled rest of a request; null when the market does not know the request.</summary>
    Task<RequestView?> CancelRequestAsync(string requestId);

    /// <summary>Takes a participant's step on a deal the market made (see <see cref="DealLifecycle"/>). A step that gives
    /// the deal's grams back (reject, cancel) returns them to the lot and the request, and sources the request again at once.</summary>
    Task<DealStepResult> TakeDealStepAsync(DealCommand command);

    /// <summary>Takes a cooperative's auto-confirm rules, from its <see cref="Participants.IAutoConfirmGrain"/>, as a
    /// journalled command: the deals the market makes from then on are confirmed by them. Rules of a version the
    /// market holds already, or older, change nothing.</summary>
    Task SetAutoConfirmAsync(string cooperativeId, Participants.AutoConfirmRules rules);

    Task<MarketSummary> GetSummaryAsync();

    /// <summary>Takes a stored change of the market's product (its shelf life) into the book now: the product is read
    /// only when the market activates, and a market that stays active would otherwise match by the old one.</summary>
    Task ProductChangedAsync(Catalog.Product product);

    /// <summary>Whether the request reached this market's journal and may still change: it is open, it closed with deals
    /// that may still give it grams back, or its receipt has not yet reached its records. False means its placement never
    /// landed, or is long settled.</summary>
    /// <remarks>Interleaves with the market's turn: the allowance asks it in its own turn, while the market may be in a
    /// turn that carries an entry to that allowance, and each then waited for the other until the market gave up on the
    /// record (3 s), or the response timeout for a call made without that patience. The answer comes from memory, so
    /// interleaving it can only show a change whose journal write is still on its way; the market answers that case
    /// on the side of the cap (see its implementation), and a market whose write failed refuses.</remarks>
    [AlwaysInterleave]
    Task<bool> KnowsRequestAsync(string requestId);
}
