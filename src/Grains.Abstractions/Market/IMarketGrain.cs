namespace CoopMarket.Grains.Market;

/// <summary>The market of one product, keyed by product code: the single owner of the unsold kilograms of its
/// lots and the unfilled kilograms of its requests. Every change is journalled before it is answered.</summary>
public interface IMarketGrain : IGrainWithStringKey
{
    /// <summary>Posts a lot and matches it against resting requests. <paramref name="bodyHash"/> identifies the
    /// client's body, so a retry of the same lot id is answered from the first receipt.</summary>
    Task<CommandResult<Receipt>> PostLotAsync(LotTerms lot, string bodyHash);

    /// <summary>Places a request and fills it from the book as its policy allows.</summary>
    Task<CommandResult<Receipt>> PlaceRequestAsync(RequestTerms request, string bodyHash);

    /// <summary>Withdraws the unsold rest of a lot; null when the market does not know the lot.</summary>
    Task<LotView?> WithdrawLotAsync(string lotId);

    /// <summary>Cancels the unfilled rest of a request; null when the market does not know the request.</summary>
    Task<RequestView?> CancelRequestAsync(string requestId);

    Task<MarketSummary> GetSummaryAsync();
}
