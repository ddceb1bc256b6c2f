namespace CoopMarket.Grains;

/// <summary>The market's clock is a keyed <see cref="TimeProvider"/> of its own: tests move market time (deal dates,
/// receipts kept for retries, "delivery may not end in the past") without moving Orleans' clock, whose timeouts
/// would all fire at once.</summary>
public static class MarketTime
{
    public const string ServiceKey = "market";

    public static readonly TimeSpan VietnamOffset = TimeSpan.FromHours(7);

    /// <summary>Today in Vietnam, where the market's days begin.</summary>
    public static DateOnly Today(this TimeProvider clock) => DateOnly.FromDateTime(clock.GetUtcNow().ToOffset(VietnamOffset).DateTime);
}
