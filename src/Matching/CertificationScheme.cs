namespace CoopMarket.Matching;

/// <summary>Production certifications a lot may hold and a buyer may require.</summary>
[Flags]
public enum CertificationScheme
{
    None = 0,
    VietGAP = 1,
    GlobalGAP = 2,
    Organic = 4,

    /// <summary>The national One Commune One Product rating; it carries a star level.</summary>
    Ocop = 8,
}
