namespace CoopMarket.Grains;

/// <summary>The market's clock is a keyed <see cref="TimeProvider"/> of its own: tests move market time (deal dates,
/// receipts kept for retries, "delivery may not end in the past") without moving Orleans' clock, whose timeouts
/// would all fire at once.</summary>
public static class MarketTime
{
    public const string ServiceKey = "market";
}
