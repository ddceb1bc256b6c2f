using CoopMarket.Grains.Catalog;

namespace CoopMarket.Gateway.Validation;

/// <summary>Product codes checked against the catalog, for every command that names a product.</summary>
internal static class KnownProducts
{
    public static async Task<string> KnownProductAsync(this FieldErrors errors, IGrainFactory grains, string field, string? code)
    {
        var text = errors.Text(field, code, FieldErrors.PlaceNameLength);
        if (text.Length > 0 && !await ExistsAsync(grains, text))
        {
            errors.Add(field, Unknown(text));
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

        return [.. (await errors.KnownIdsAsync(field, codes, FieldErrors.PlaceNameLength, code => ExistsAsync(grains, code), Unknown)).Distinct()];
    }

    private static async Task<bool> ExistsAsync(IGrainFactory grains, string code) => await grains.GetGrain<IProductGrain>(code).GetAsync() is not null;

    private static string Unknown(string code) => $"Unknown product '{code}'; see /api/products.";
}
