namespace CoopMarket.Grains.Market;

/// <summary>The market is reloading its book from the journal after a failed write; the call changed nothing
/// that was not journalled and may be retried.</summary>
[GenerateSerializer]
public sealed class MarketReloadingException : Exception
{
    public MarketReloadingException()
        : base("This market is reloading after a failed journal write; try again.")
    {
    }

    public MarketReloadingException(string message)
        : base(message)
    {
    }

    public MarketReloadingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
