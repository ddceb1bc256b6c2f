using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace CoopMarket.Gateway.Security;

/// <summary>Participant API keys: <c>cm.{participant id}.{secret}</c>. The id says which grain holds the key's hash,
/// so a key is checked with one grain call and no key index; only a SHA-256 hash of the secret is ever stored.</summary>
/// <remarks>A registration or rotation made with an idempotency key gets a secret derived (HMAC with <c>Auth:KeySecret</c>)
/// from the participant id and that key: a retry returns the same key, as its first answer did, without the key ever
/// being stored. Without an idempotency key the secret is random.</remarks>
internal sealed class ApiKeys(IOptions<AuthOptions> auth)
{
    private const string Prefix = "cm";
    private readonly byte[] derivationSecret = auth.Value.KeySecret is { Length: > 0 } secret
        ? Encoding.UTF8.GetBytes(secret)
        : RandomNumberGenerator.GetBytes(32);

    /// <summary>A new key for <paramref name="participantId"/>: derived from <paramref name="derivedFrom"/> when a retry must
    /// get the same key (an idempotency key was given), random otherwise.</summary>
    public (string Key, string Hash) Issue(string participantId, string? derivedFrom)
    {
        var secret = derivedFrom is not null
            ? HMACSHA256.HashData(derivationSecret, Encoding.UTF8.GetBytes($"{participantId}\n{derivedFrom}"))
            : RandomNumberGenerator.GetBytes(32);
        var text = Base64Url(secret);
        return ($"{Prefix}.{participantId}.{text}", Hash(text));
    }

    /// <summary>The participant a key claims to be, and the hash to check against that participant's.</summary>
    public static (string ParticipantId, string Hash)? Parse(string key)
    {
        var parts = key.Split('.');
        return parts is [Prefix, { Length: > 0 and <= 100 } id, { Length: > 0 and <= 100 } secret] ? (id, Hash(secret)) : null;
    }

    /// <summary>Compares in constant time, so response times do not leak how much of a hash matched.</summary>
    public static bool Matches(string expectedHash, string actualHash) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expectedHash), Encoding.ASCII.GetBytes(actualHash));

    private static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
