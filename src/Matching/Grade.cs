namespace CoopMarket.Matching;

/// <summary>Quality grade of a harvest. Ordered so that a better grade compares greater: A &gt; B &gt; C.</summary>
public enum Grade
{
    C = 0,
    B = 1,
    A = 2,
}
