using System.Globalization;
using CoopMarket.Grains.Market;
using CoopMarket.Matching;

namespace CoopMarket.Gateway.Localization;

/// <summary>Puts a deal's structured reason into a sentence a district officer or a buyer can repeat, in Vietnamese
/// (the default) or English, with amounts written the way each language's readers write them (25.000 ₫/kg, 25,000 VND/kg).</summary>
/// <remarks>Two languages and one sentence do not earn resource files and satellite assemblies; both texts sit here,
/// side by side, so a change of wording is made in both at once.</remarks>
internal static class ReasonSentence
{
    private static readonly CultureInfo Vietnamese = CultureInfo.GetCultureInfo("vi-VN");
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-US");

    /// <summary>The sentence in <paramref name="language"/>: English when it is English, Vietnamese otherwise.</summary>
    public static string Render(DealReason reason, CultureInfo language) =>
        IsEnglish(language) ? InEnglish(reason) : InVietnamese(reason);

    public static bool IsEnglish(CultureInfo language) => language.TwoLetterISOLanguageName == "en";

    private static string InVietnamese(DealReason r)
    {
        var text = string.Create(Vietnamese,
            $"Khớp theo nguyên tắc {PolicyVi(r.Policy)}: giá về đến nơi {r.LandedVndPerKg:N0} ₫/kg " +
            $"(giá chào {r.AskVndPerKg:N0} ₫/kg + vận chuyển {r.TransportVndPerKg:N0} ₫/kg cho {r.RoadKm:N0} km đường bộ); " +
            $"còn {r.ShelfLifeDaysAtDelivery:N0} ngày bảo quản khi giao; lô thứ {r.ArrivalRank:N0} theo thứ tự lên chợ");
        return (r.ValueChainMember ? text + "; hợp tác xã thuộc chuỗi giá trị" : text) + ".";
    }

    private static string InEnglish(DealReason r)
    {
        var text = string.Create(English,
            $"Matched under {PolicyEn(r.Policy)}: landed at {r.LandedVndPerKg:N0} VND/kg " +
            $"(ask {r.AskVndPerKg:N0} VND/kg + transport {r.TransportVndPerKg:N0} VND/kg over {r.RoadKm:N0} road-km); " +
            $"{r.ShelfLifeDaysAtDelivery:N0} {(r.ShelfLifeDaysAtDelivery == 1 ? "day" : "days")} of shelf life left at delivery; " +
            $"lot #{r.ArrivalRank:N0} in arrival order");
        return (r.ValueChainMember ? text + "; the cooperative is a value-chain member" : text) + ".";
    }

    // A policy the core adds later reads as its API name until it is given words here.
    private static string PolicyVi(AllocationPolicy policy) => policy switch
    {
        AllocationPolicy.PriceTime => "giá tốt nhất, lên chợ trước được trước",
        AllocationPolicy.ProRata => "chia theo tỷ lệ giữa các thành viên chuỗi",
        AllocationPolicy.Capped => "thành viên chuỗi trước, mỗi hợp tác xã có mức trần",
        AllocationPolicy.ChainOnly => "chỉ thành viên chuỗi giá trị",
        AllocationPolicy.ChainFirst => "thành viên chuỗi giá trị trước",
        _ => policy.ToString(),
    };

    private static string PolicyEn(AllocationPolicy policy) => policy switch
    {
        AllocationPolicy.PriceTime => "best price, first come first served",
        AllocationPolicy.ProRata => "pro rata among chain members",
        AllocationPolicy.Capped => "chain members first, with a cap per cooperative",
        AllocationPolicy.ChainOnly => "chain members only",
        AllocationPolicy.ChainFirst => "chain members first",
        _ => policy.ToString(),
    };
}
