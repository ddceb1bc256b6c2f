using System.Globalization;
using System.Text;
using CoopMarket.Grains.Market;

namespace CoopMarket.Gateway.Places;

/// <summary>The communes and cities the market knows by name, with approximate centre coordinates.</summary>
/// <remarks>Names match with or without diacritics and in any case ("Đông Lai", "dong lai"), since buyers type on
/// keyboards without a Vietnamese layout; what is stored and shown is always the name with its diacritics.
/// Coordinates are approximate commune or city centres: transport cost only needs road distance to a few kilometres.</remarks>
internal static class Gazetteer
{
    private static readonly GeoPlace[] Known =
    [
        // Tân Lạc district, Hòa Bình province: the communes the district report names, and the district town.
        new("Đông Lai", 20.6730, 105.3270),
        new("Thanh Hối", 20.6440, 105.3080),
        new("Quyết Chiến", 20.5330, 105.1980),
        new("Nam Sơn", 20.5100, 105.1600),
        new("Mường Khến", 20.6131, 105.2839),
        // Cities and provinces where buyers are, each by its centre.
        new("Hòa Bình", 20.8171, 105.3376),
        new("Hà Nội", 21.0285, 105.8542),
        new("Hải Phòng", 20.8449, 106.6881),
        new("Thành phố Hồ Chí Minh", 10.7769, 106.7009),
    ];

    private static readonly Dictionary<string, GeoPlace> ByKey = BuildIndex();

    public static IReadOnlyList<GeoPlace> Places => Known;

    public static GeoPlace? Find(string name) => ByKey.GetValueOrDefault(Key(name));

    private static Dictionary<string, GeoPlace> BuildIndex()
    {
        var index = Known.ToDictionary(p => Key(p.Name), StringComparer.Ordinal);
        var hoChiMinh = index[Key("Thành phố Hồ Chí Minh")];
        foreach (var alias in new[] { "TP Hồ Chí Minh", "TP. Hồ Chí Minh", "Hồ Chí Minh", "Sài Gòn" })
        {
            index[Key(alias)] = hoChiMinh;
        }

        index[Key("Tân Lạc")] = index[Key("Mường Khến")];
        index[Key("Thành phố Hòa Bình")] = index[Key("Hòa Bình")];
        return index;
    }

    /// <summary>Lower case, without diacritics (đ folds to d) and with single spaces.</summary>
    private static string Key(string name)
    {
        var decomposed = name.Trim().ToLowerInvariant().Replace('đ', 'd').Normalize(NormalizationForm.FormD);
        var key = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                key.Append(char.IsWhiteSpace(c) ? ' ' : c);
            }
        }

        return string.Join(' ', key.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }
}
