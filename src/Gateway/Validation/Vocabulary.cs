using CoopMarket.Matching;

namespace CoopMarket.Gateway.Validation;

/// <summary>The market's words as the API spells them, derived from the core's enums: a grade, policy or scheme added
/// there is accepted here (and named in the error messages) without a second list to keep in step.</summary>
internal static class Vocabulary
{
    /// <summary>The API's (and the certificate's own) spelling of <see cref="CertificationScheme.Ocop"/>.</summary>
    public const string Ocop = "OCOP";

    /// <summary>Best first, as a person reads them: A, B, C.</summary>
    public static readonly string[] Grades = [.. Enum.GetValues<Grade>().OrderDescending().Select(g => g.ToString())];

    public static readonly string[] Policies = Enum.GetNames<AllocationPolicy>();

    public static readonly string[] Schemes =
        [.. Enum.GetValues<CertificationScheme>().Where(s => s != CertificationScheme.None).Select(s => s == CertificationScheme.Ocop ? Ocop : s.ToString())];

    /// <summary>The schemes a buyer may require by name; OCOP is required by stars (<c>minOcopStars</c>) instead.</summary>
    public static readonly string[] RequiredSchemes = [.. Schemes.Where(s => s != Ocop)];
}
