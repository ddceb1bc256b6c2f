namespace CoopMarket.Matching;

/// <summary>A certification a lot holds; <paramref name="Stars"/> only means something for OCOP.</summary>
/// <param name="ValidUntil">Last day the certificate is valid, or null when it does not expire.</param>
public sealed record Certification(CertificationScheme Scheme, int Stars = 0, DateOnly? ValidUntil = null);
