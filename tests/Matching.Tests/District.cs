using CoopMarket.Matching;

namespace CoopMarket.Matching.Tests;

/// <summary>Places and builders for the district's worked examples. Coordinates are approximate commune centres.</summary>
internal static class District
{
    public static readonly Place DongLai = new("Đông Lai", 20.680, 105.300);
    public static readonly Place ThanhHoi = new("Thanh Hối", 20.640, 105.280);
    public static readonly Place QuyetChien = new("Quyết Chiến", 20.560, 105.160);
    public static readonly Place HoaBinh = new("Hòa Bình", 20.817, 105.338);
    public static readonly Place HaNoi = new("Hà Nội", 21.028, 105.854);
    public static readonly Place HoChiMinhCity = new("Thành phố Hồ Chí Minh", 10.776, 106.700);

    public static readonly Certification VietGap = new(CertificationScheme.VietGAP);

    public static DateOnly Dec(int day) => new(2026, 12, day);

    public static DateOnly Nov(int day) => new(2026, 11, day);

    public static long Kg(decimal kg) => Grams.FromKg(kg);

    public static Book DragonFruitBook() => new("dragon-fruit", shelfLifeDays: 18);

    public static SupplyLot Lot(
        string id,
        decimal kg,
        long ask,
        string product = "dragon-fruit",
        string? cooperative = null,
        Grade grade = Grade.A,
        Certification[]? certifications = null,
        DateWindow? harvest = null,
        long minOrderKg = 0,
        Place? pickup = null,
        string[]? chains = null) =>
        new(id, cooperative ?? $"coop-{id}", product, Kg(kg), grade, certifications ?? [], harvest ?? new DateWindow(Dec(10), Dec(20)),
            ask, Kg(minOrderKg), pickup ?? DongLai, new HashSet<string>(chains ?? []));

    public static PurchaseRequest Request(
        string id,
        decimal kg,
        long maxPrice,
        string product = "dragon-fruit",
        string buyer = "buyer",
        Grade minGrade = Grade.C,
        CertificationScheme required = CertificationScheme.None,
        int minOcopStars = 0,
        DateWindow? delivery = null,
        Place? deliverTo = null,
        bool allowPartial = true,
        ChainTerms? chain = null) =>
        new(id, buyer, product, Kg(kg), minGrade, required, minOcopStars, delivery ?? new DateWindow(Dec(15), Dec(28)),
            maxPrice, deliverTo ?? HaNoi, allowPartial, chain);
}
