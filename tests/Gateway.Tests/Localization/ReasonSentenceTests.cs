using System.Globalization;
using CoopMarket.Gateway.Apis;
using CoopMarket.Gateway.Contracts;
using CoopMarket.Gateway.Localization;
using CoopMarket.Grains.Market;

namespace CoopMarket.Gateway.Tests.Localization;

/// <summary>A deal's reason said in each language, word for word, with each language's way of writing amounts.</summary>
public sealed class ReasonSentenceTests
{
    private static readonly DealReason Reason = new(Matching.AllocationPolicy.PriceTime, 26_285, 25_000, 1_285, 1_095, 17, 2, ValueChainMember: false);

    [Fact]
    public void In_Vietnamese_amounts_group_thousands_with_dots_and_read_in_dong()
    {
        Assert.Equal(
            "Khớp theo nguyên tắc giá tốt nhất, lên chợ trước được trước: giá về đến nơi 26.285 ₫/kg (giá chào 25.000 ₫/kg + vận chuyển 1.285 ₫/kg " +
            "cho 1.095 km đường bộ); còn 17 ngày bảo quản khi giao; lô thứ 2 theo thứ tự lên chợ.",
            ReasonSentence.Render(Reason, CultureInfo.GetCultureInfo("vi-VN")));
    }

    [Fact]
    public void In_English_amounts_group_thousands_with_commas_and_read_in_VND()
    {
        Assert.Equal(
            "Matched under best price, first come first served: landed at 26,285 VND/kg (ask 25,000 VND/kg + transport 1,285 VND/kg " +
            "over 1,095 road-km); 17 days of shelf life left at delivery; lot #2 in arrival order.",
            ReasonSentence.Render(Reason, CultureInfo.GetCultureInfo("en-US")));
    }

    [Fact]
    public void A_chain_member_and_one_day_of_shelf_life_are_said_in_both_languages()
    {
        var member = Reason with { Policy = Matching.AllocationPolicy.ChainFirst, ShelfLifeDaysAtDelivery = 1, ValueChainMember = true };

        var vi = ReasonSentence.Render(member, CultureInfo.GetCultureInfo("vi"));
        var en = ReasonSentence.Render(member, CultureInfo.GetCultureInfo("en-GB"));

        Assert.StartsWith("Khớp theo nguyên tắc thành viên chuỗi giá trị trước:", vi, StringComparison.Ordinal);
        Assert.EndsWith("còn 1 ngày bảo quản khi giao; lô thứ 2 theo thứ tự lên chợ; hợp tác xã thuộc chuỗi giá trị.", vi, StringComparison.Ordinal);
        Assert.StartsWith("Matched under chain members first:", en, StringComparison.Ordinal);
        Assert.EndsWith("1 day of shelf life left at delivery; lot #2 in arrival order; the cooperative is a value-chain member.", en, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_policy_of_the_core_has_words_in_both_languages()
    {
        foreach (var policy in Enum.GetValues<Matching.AllocationPolicy>())
        {
            var reason = Reason with { Policy = policy };
            Assert.DoesNotContain(policy.ToString(), ReasonSentence.Render(reason, CultureInfo.GetCultureInfo("vi-VN")), StringComparison.Ordinal);
            Assert.DoesNotContain(policy.ToString(), ReasonSentence.Render(reason, CultureInfo.GetCultureInfo("en-US")), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_deal_recorded_before_reasons_were_structured_answers_its_old_sentence_and_no_keys()
    {
        const string sentence = "PriceTime: landed 25,285 VND/kg (ask 25,000 + transport 285 over 95 road-km); 17 days of shelf life left at delivery; lot #2 in arrival order";
        var old = new Deal("deal", "lot", "request", "coop", "buyer", "p", 1_000_000, 25_000, 285, Deal.Proposed, null,
            new DateOnly(2026, 12, 14), new DateOnly(2026, 12, 15), DateTimeOffset.UnixEpoch) { ReasonText = sentence };

        var reason = Dtos.ReasonOf(old, CultureInfo.GetCultureInfo("vi-VN"));

        Assert.Equal(new DealReasonDto(null, null, null, null, null, null, null, null, sentence), reason);
    }
}
