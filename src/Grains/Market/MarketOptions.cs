namespace CoopMarket.Grains.Market;

/// <summary>The market's settings, section <c>Market</c>, validated when a silo starts.</summary>
public sealed class MarketOptions
{
    public const string Section = "Market";

    /// <summary>How long a cooperative has to confirm a proposed deal before it expires and its grams go back
    /// (<c>Market:ConfirmWithin</c>, a TimeSpan such as <c>2.00:00:00</c>).</summary>
    public TimeSpan ConfirmWithin { get; set; } = TimeSpan.FromHours(48);

    /// <summary>Whether the settings make sense: a deadline shorter than a minute could not be met by anyone, and
    /// one longer than 30 days would hold a lot's kilograms for a whole harvest.</summary>
    public bool IsValid => ConfirmWithin >= TimeSpan.FromMinutes(1) && ConfirmWithin <= TimeSpan.FromDays(30);
}
