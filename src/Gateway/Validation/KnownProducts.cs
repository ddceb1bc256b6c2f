using System.Collections.Concurrent;
using CoopMarket.Grains.Catalog;

namespace CoopMarket.Gateway.Validation;

/// <summary>Product codes checked against the catalog, for every command that names a product.</summary>
/// <remarks>A product is never removed from the catalog (it has no remove; a put only changes the facts of a code that
/// stays), so a code once found stays found: this gateway remembers the codes it found and asks the product's grain only
/// for one it has not. That is safe with several gateways, each remembering its own: an answer kept is true for every
/// gateway forever, and an unknown code is never remembered, so a product the district office adds is accepted by
/// every gateway at once. Only existence is kept; a product's facts (its shelf life) can change, and a command that
/// needs them reads them fresh (<see cref="ReadAsync"/>). Only real codes enter, and at most
/// <see cref="MaxRemembered"/> of them, so a stream of made-up codes can neither fill nor skip the check.</remarks>
internal sealed class KnownProducts(IGrainFactory grains)
{
    /// <summary>Far more products than a district's catalog holds; past it the check simply asks every time.</summary>
    public const int MaxRemembered = 10_000;

    private readonly ConcurrentDictionary<string, bool> found = new(StringComparer.Ordinal);

    /// <summary>The code as sent; what is wrong with it goes to <paramref name="field"/>.</summary>
    public async Task<string> CheckAsync(FieldErrors errors, string field, string? code)
    {
        var text = errors.Text(field, code, FieldErrors.PlaceNameLength);
        if (text.Length > 0 && !await ExistsAsync(text))
        {
            errors.Add(field, Unknown, text);
        }

        return text;
    }

    /// <summary>The code as sent and the product's facts as its grain holds them now (null when the code is malformed
    /// or unknown): one call, for a command that validates against the facts as well.</summary>
    public async Task<(string Code, Product? Product)> ReadAsync(FieldErrors errors, string field, string? code)
    {
        var text = errors.Text(field, code, FieldErrors.PlaceNameLength);
        if (text.Length == 0)
        {
            return (text, null);
        }

        var product = await grains.GetGrain<IProductGrain>(text).GetAsync();
        if (product is null)
        {
            errors.Add(field, Unknown, text);
        }
        else
        {
            Remember(text);
        }

        return (text, product);
    }

    public async Task<List<string>> CheckAllAsync(FieldErrors errors, string field, IReadOnlyList<string>? codes)
    {
        if (codes is not { Count: > 0 })
        {
            errors.Add(field, "At least one product.");
            return [];
        }

        return [.. (await errors.KnownIdsAsync(field, codes, FieldErrors.PlaceNameLength, ExistsAsync, Unknown)).Distinct()];
    }

    private async Task<bool> ExistsAsync(string code)
    {
        if (found.ContainsKey(code))
        {
            return true;
        }

        if (await grains.GetGrain<IProductGrain>(code).GetAsync() is null)
        {
            return false;
        }

        Remember(code);
        return true;
    }

    private void Remember(string code)
    {
        if (found.Count < MaxRemembered)
        {
            found.TryAdd(code, true);
        }
    }

    /// <summary>Said of a code the catalog does not hold; the code goes in as <c>{0}</c>, so the sentence stays the key
    /// of its translation.</summary>
    private const string Unknown = "Unknown product '{0}'; see /api/products.";
}
