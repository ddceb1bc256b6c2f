using CoopMarket.Grains.Catalog;

namespace CoopMarket.Gateway.Validation;

/// <summary>Product codes checked against the catalog, for every command that names a product.</summary>
internal static class KnownProducts
{
    public static async Task<string> KnownProductAsync(this FieldErrors errors, IGrainFactory grains, string field, string? code)
    {
        var text = errors.Text(field, code, FieldErrors.PlaceNameLength);
        if (text.Length > 0 && await grains.GetGrain<IProductGrain>(text).GetAsync() is null)
        {
            errors.Add(field, $"Unknown product '{text}'; see /api/products.");
        }

        return text;
    }

    public static async Task<List<string>> KnownProductsAsync(this FieldErrors errors, IGrainFactory grains, string field, IReadOnlyList<string>? codes)
    {
        if (codes is not { Count: > 0 })
        {
            errors.Add(field, "At least one product.");
            return [];
        }

        var known = new List<string>();
        foreach (var (code, i) in codes.Select((c, i) => (c, i)))
        {
            known.Add(await errors.KnownProductAsync(grains, $"{field}[{i}]", code));
        }

        return [.. known.Distinct()];
    }
}
