using CoopMarket.Matching;

namespace CoopMarket.Matching.Benchmarks;

/// <summary>A dragon-fruit season as the benchmark sees it, generated from a fixed seed so every run is the same.</summary>
/// <remarks>
/// Lots: 24 pickup communes (Tân Lạc and neighbouring districts), asks 18,000–32,000 VND/kg in 100 VND steps,
/// grades A 30 % / B 50 % / C 20 %, VietGAP on 40 %, an OCOP rating (3–5 stars) on 15 %, a chain membership on 25 %,
/// 100–5,000 kg, a minimum order on 10 %, harvest windows of 3–14 days from October to March.
/// Requests: delivered to Hà Nội, Hải Phòng, Hòa Bình or Thành phố Hồ Chí Minh, 50–2,000 kg, grade B or better on
/// half, VietGAP on a third, 7–21 day delivery windows inside the season, and a maximum price a little above the
/// cheapest asks, so a request fills from a few lots and sometimes rests.
/// </remarks>
internal sealed class SeasonMix(int seed)
{
    public const string Product = "dragon-fruit";
    public const int ShelfLifeDays = 18;

    private static readonly DateOnly SeasonStart = new(2026, 10, 1);

    private static readonly Place[] Communes = [.. Enumerable.Range(0, 24).Select(i =>
        new Place($"Commune {i}", 20.45 + 0.03 * (i % 8), 105.10 + 0.05 * (i / 8)))];

    private static readonly Place[] Destinations =
    [
        new("Hà Nội", 21.028, 105.854), new("Hải Phòng", 20.845, 106.688),
        new("Hòa Bình", 20.817, 105.338), new("Thành phố Hồ Chí Minh", 10.776, 106.700),
    ];

    private readonly Random random = new(seed);
    private long next;

    public SupplyLot NextLot()
    {
        var harvestFrom = SeasonStart.AddDays(random.Next(0, 170));
        var quantity = random.NextInt64(100, 5_001) * Grams.PerKg;
        var certifications = new List<Certification>();
        if (random.Next(100) < 40)
        {
            certifications.Add(new Certification(CertificationScheme.VietGAP, ValidUntil: SeasonStart.AddDays(400)));
        }

        if (random.Next(100) < 15)
        {
            certifications.Add(new Certification(CertificationScheme.Ocop, random.Next(3, 6)));
        }

        return new SupplyLot($"lot-{seed}-{next++}", $"coop-{random.Next(300)}", Product, quantity,
            random.Next(100) switch { < 30 => Grade.A, < 80 => Grade.B, _ => Grade.C }, certifications,
            new DateWindow(harvestFrom, harvestFrom.AddDays(random.Next(3, 15))), 18_000 + 100 * random.Next(0, 141),
            random.Next(100) < 10 ? quantity / 4 : 0, Communes[random.Next(Communes.Length)],
            random.Next(100) < 25 ? new HashSet<string> { $"chain-{random.Next(6)}" } : []);
    }

    public PurchaseRequest NextRequest()
    {
        var deliverFrom = SeasonStart.AddDays(random.Next(10, 175));
        return new PurchaseRequest($"request-{seed}-{next++}", $"buyer-{random.Next(40)}", Product,
            random.NextInt64(50, 2_001) * Grams.PerKg, random.Next(2) == 0 ? Grade.B : Grade.C,
            random.Next(3) == 0 ? CertificationScheme.VietGAP : CertificationScheme.None, 0,
            new DateWindow(deliverFrom, deliverFrom.AddDays(random.Next(7, 22))), 18_800 + 100 * random.Next(0, 20),
            Destinations[random.Next(Destinations.Length)]);
    }

    public static Book NewBook() => new(Product, ShelfLifeDays);
}
