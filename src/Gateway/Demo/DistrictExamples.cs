using CoopMarket.Gateway.Contracts;

namespace CoopMarket.Gateway.Demo;

/// <summary>The district demo's records that double as the API document's examples: the demo loads exactly these, so
/// an example in the document is one the market has accepted.</summary>
internal static class DistrictExamples
{
    public static CertificationDto VietGap(DateOnly today) => new("VietGAP", ValidUntil: today.AddYears(1));

    public static RegisterCooperative DongLai(DateOnly today) =>
        new("Hợp tác xã sản xuất và kinh doanh nông sản sạch Đông Lai", "HTX", "Đông Lai", "Tân Lạc", "Hòa Bình", 32, [VietGap(today)]);

    public static RegisterBuyer Supermarket => new("Chuỗi siêu thị Hà Nội (ví dụ)", "supermarket", "Hà Nội");

    public static CreateValueChain DragonFruitChain => new("Chuỗi thanh long trái vụ Đông Lai", ["dragon-fruit"], "ChainFirst");

    public static AddChainMember Producer(string cooperativeId) => new(cooperativeId, "producer");

    public static PostLot DragonFruitLot(DateOnly today) =>
        new("dragon-fruit", 3_000, "A", [VietGap(today)], today.AddDays(-2), today.AddDays(8), 25_000);

    public static PlaceRequest DragonFruitRequest(DateOnly today, string? valueChainId) =>
        new("dragon-fruit", 5_000, today.AddDays(3), today.AddDays(20), 30_000, RequiredCertifications: ["VietGAP"], ValueChainId: valueChainId);
}
