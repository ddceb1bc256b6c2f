using System.Buffers;
using System.Security.Cryptography;

namespace CoopMarket.Grains.Market;

/// <summary>The code printed on a shipped deal's goods: anyone holding it can trace where they came from, so it must not
/// be guessable — 16 characters of Crockford's base 32, each chosen by a cryptographic generator: 80 random bits.</summary>
/// <remarks>Crockford's alphabet leaves out I, L, O and U, so a code read off a label or a crate is not misread, and it
/// needs no escaping in a URL. A code is stored and printed in upper case, as <see cref="New"/> makes it; read back, it is
/// case-insensitive, as Crockford's encoding is (<see cref="Normalize"/>).</remarks>
public static class TraceCode
{
    /// <summary>Characters in a code: 16 × 5 bits = 80 random bits.</summary>
    public const int Length = 16;

    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private static readonly SearchValues<char> Digits = SearchValues.Create(Alphabet);

    /// <summary>A new code, unrelated to every other one.</summary>
    public static string New() => RandomNumberGenerator.GetString(Alphabet, Length);

    /// <summary>The code as <see cref="New"/> writes it: a person who types it off a label in lower case means the same code.</summary>
    public static string Normalize(string code) => code.ToUpperInvariant();

    /// <summary>Whether <paramref name="code"/> has the shape <see cref="New"/> gives (it may still name no shipment).</summary>
    public static bool IsWellFormed(string? code) => code is { Length: Length } && !code.AsSpan().ContainsAnyExcept(Digits);
}
