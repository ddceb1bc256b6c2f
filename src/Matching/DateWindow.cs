namespace CoopMarket.Matching;

/// <summary>An inclusive range of days, e.g. a harvest or a delivery window.</summary>
public readonly record struct DateWindow(DateOnly From, DateOnly To)
{
    public bool IsValid => From <= To;

    public override string ToString() => $"{From:yyyy-MM-dd}…{To:yyyy-MM-dd}";
}
