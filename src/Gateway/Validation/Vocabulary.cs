using CoopMarket.Matching;

namespace CoopMarket.Gateway.Validation;

/// <summary>The market's words as the API spells them, derived from the core's enums: a grade, policy or scheme added
/// there is accepted here (and named in the error messages) without a second list to keep in step.</summary>
internal static class Vocabulary
{
    /// <summary>The API's (and the certificate's own) spelling of <see cref="CertificationScheme.Ocop"/>.</summary>
    public const string Ocop = "OCOP";

    /// <summary>Best first, as a person reads them: A, B, C.</summary>
    public static readonly Grade[] GradeValues = [.. Enum.GetValues<Grade>().OrderDescending()];

    public static readonly AllocationPolicy[] PolicyValues = Enum.GetValues<AllocationPolicy>();

    public static readonly CertificationScheme[] SchemeValues = [.. Enum.GetValues<CertificationScheme>().Where(s => s != CertificationScheme.None)];

    /// <summary>The schemes a buyer may require by name; OCOP is required by stars (<c>minOcopStars</c>) instead.</summary>
    public static readonly CertificationScheme[] RequiredSchemeValues = [.. SchemeValues.Where(s => s != CertificationScheme.Ocop)];

    public static readonly string[] Grades = [.. GradeValues.Select(Name)];

    public static readonly string[] Policies = [.. PolicyValues.Select(Name)];

    public static readonly string[] Schemes = [.. SchemeValues.Select(Name)];

    public static readonly string[] RequiredSchemes = [.. RequiredSchemeValues.Select(Name)];

    /// <summary>How the API spells <paramref name="value"/>: its enum name, except OCOP, which the certificate spells in capitals.</summary>
    public static string Name<T>(T value) where T : struct, Enum =>
        value is CertificationScheme.Ocop ? Ocop : value.ToString();
}
