namespace CoopMarket.Grains.Catalog;

/// <summary>The catalog a new market starts with: the products of Tân Lạc district's report.</summary>
/// <remarks>Seasons and shelf lives are typical agronomy values (DOMAIN.md marks them ≈); they are defaults
/// an administrator may change, so where the report gives a range the shelf life takes a value inside it.</remarks>
public static class DistrictCatalog
{
    public static IReadOnlyList<Product> Products { get; } =
    [
        new("dragon-fruit", "Thanh long", "Dragon fruit", "kg", 5, 10, 18,
            "Off-season (trái vụ) lots from Đông Lai come October–March; 2–3 weeks chilled."),
        new("passion-fruit", "Chanh leo", "Passion fruit", "kg", 6, 12, 10,
            "Sustainable production pilot in Thanh Hối commune."),
        new("red-pomelo", "Bưởi đỏ", "Red pomelo", "kg", 10, 1, 75,
            "Peak demand before Tết."),
        new("nam-son-mandarin", "Quýt Nam Sơn", "Nam Sơn mandarin", "kg", 11, 1, 25),
        new("chayote", "Su su", "Chayote", "kg", 1, 12, 14, "OCOP product."),
        new("korean-radish", "Củ cải Hàn Quốc", "Korean radish", "kg", 11, 3, 21, "OCOP product; 2–4 weeks chilled."),
        new("safe-vegetables", "Rau an toàn", "Safe vegetables (mixed)", "kg", 1, 12, 5),
        new("cage-fish", "Cá lồng", "Cage-raised fish", "kg, live", 1, 12, 1, "Sold live: about one day in transport."),
        new("ca-dam-xanh", "Cá Dầm xanh", "Cá Dầm xanh (river fish)", "kg, live", 1, 12, 1,
            "OCOP product; sold live: about one day in transport."),
        new("giao-co-lam-tea", "Trà Giảo cổ lam", "Giảo cổ lam tea (Gynostemma, dried)", "kg", 1, 12, 365, "OCOP product."),
    ];
}
