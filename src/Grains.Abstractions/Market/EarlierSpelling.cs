using CoopMarket.Matching;

namespace CoopMarket.Grains.Market;

/// <summary>Reads the grades, policies and schemes that records written before they carried the core's enums stored as
/// the API spelled them. The one place a grain still parses such a name: the gateway had
/// validated it when it was written, and every record written since carries the enum itself.</summary>
/// <remarks>Each record keeps its enum in a nullable field with an id of its own and leaves the name's old id as a
/// private property, never written again. Orleans also writes a record's unannotated constructor parameter in a section of
/// its own ahead of the annotated fields (ids by position there); earlier records left that section empty, and the
/// annotated enum field is the one these records rely on. Switching that section off
/// (<c>IncludePrimaryConstructorParameters = false</c>) would make every stored record unreadable.</remarks>
internal static class EarlierSpelling
{
    public static Grade Grade(string? name) => Enum.Parse<Grade>(Required(name));

    public static AllocationPolicy Policy(string? name) => Enum.Parse<AllocationPolicy>(Required(name));

    /// <summary>The API spells <see cref="CertificationScheme.Ocop"/> as the certificate does, <c>OCOP</c>.</summary>
    public static CertificationScheme Scheme(string? name) => Enum.Parse<CertificationScheme>(Required(name), ignoreCase: true);

    // A record with neither the enum field nor the name was never written by any version: say so rather than guess.
    private static string Required(string? name) => name ?? throw new InvalidDataException("A stored record has neither its enum field nor the name an earlier version wrote.");
}
