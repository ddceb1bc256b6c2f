using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace CoopMarket.Gateway.Apis;

/// <summary>Makes a POST safe to retry: the <c>Idempotency-Key</c> header, scoped to the caller, decides the id of
/// what the POST creates, so a retry reaches the same grain, which compares the body with the first one.</summary>
/// <remarks>Deriving the id from the key keeps key and effect in one grain write: there is no separate key store
/// that could say "done" for an effect that was lost, or forget a key whose effect stands.</remarks>
internal static class Idempotency
{
    public const string Header = "Idempotency-Key";
    public const int MaxKeyLength = 200;

    /// <summary>The id for what this POST creates: derived from the key when there is one, fresh otherwise.</summary>
    public static string IdFor(string prefix, string scope, string? key) => key is null
        ? $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 21)]
        : $"{prefix}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{scope}\n{key}")))[..20]}";

    /// <summary>Runs <paramref name="command"/> with the request's key, or answers 400 for a malformed key.</summary>
    public static async Task<IResult> WithKeyAsync(HttpRequest request, Func<string?, Task<IResult>> command)
    {
        var (key, error) = KeyOf(request);
        return error is null
            ? await command(key)
            : TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid idempotency key", detail: error);
    }

    /// <summary>The key, or an error for a key that is empty, too long or not printable ASCII.</summary>
    private static (string? Key, string? Error) KeyOf(HttpRequest request)
    {
        if (!request.Headers.TryGetValue(Header, out var values))
        {
            return (null, null);
        }

        var key = values.ToString();
        return key.Length is 0 or > MaxKeyLength || key.Any(c => c is < ' ' or > '~')
            ? (null, $"{Header} must be 1 to {MaxKeyLength} printable ASCII characters.")
            : (key, null);
    }

    /// <summary>A fingerprint of the body as bound, so the same JSON sent again matches whatever its whitespace.</summary>
    public static string HashOf<T>(T body) =>
        Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(body)));
}
