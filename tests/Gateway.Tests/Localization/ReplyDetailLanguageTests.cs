using CoopMarket.Gateway.Apis;
using CoopMarket.Gateway.Contracts;
using CoopMarket.Gateway.Security;
using CoopMarket.Gateway.Validation;
using CoopMarket.Gateway.Web;
using CoopMarket.Grains.Market;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace CoopMarket.Gateway.Tests.Localization;

/// <summary>The refusals that name an id or a status, as a Vietnamese page says them: through the web app's own
/// localizer, in Vietnamese with the id in place and the status said as the page's status column says it, not in the
/// API's English for want of a translation of that one id or status.</summary>
[Collection(GatewayCollection.Name)]
public sealed class ReplyDetailLanguageTests(GatewayFactory factory)
{
    private readonly IStringLocalizer<Text> text = factory.Services.GetRequiredService<IStringLocalizer<Text>>();

    [Fact]
    public async Task Unknown_ids_with_braces_are_said_in_Vietnamese()
    {
        var market = Service<MarketCommands>();
        var product = await factory.ProductAsync("reply-language-ids");

        var lot = await market.WithdrawLotAsync("nobody {0}", Caller.System);
        var request = await market.CancelRequestAsync("nobody {0}", Caller.System);
        var deal = await Service<DealSteps>().TakeAsync("nobody {0}", DealStep.Cancel, null, Caller.System);
        var cooperative = await market.PostLotAsync("nobody {0}",
            new PostLot(product, 10, "A", null, factory.Today.AddDays(9), factory.Today.AddDays(19), 20_000), null, Caller.System);
        var buyer = await market.PlaceRequestAsync("nobody {0}",
            new PlaceRequest(product, 10, factory.Today.AddDays(14), factory.Today.AddDays(27), 30_000), null, Caller.System);

        Assert.Multiple(
            () => Assert.Equal("Không có lô hàng nào có mã 'nobody {0}'.", Said(lot.Detail)),
            () => Assert.Equal("Không có yêu cầu mua nào có mã 'nobody {0}'.", Said(request.Detail)),
            () => Assert.Equal("Không có giao dịch nào có mã 'nobody {0}'.", Said(deal.Detail)),
            () => Assert.Equal("Không có hợp tác xã nào có mã 'nobody {0}'.", Said(cooperative.Detail)),
            () => Assert.Equal("Không có người mua nào có mã 'nobody {0}'.", Said(buyer.Detail)));
    }

    [Fact]
    public async Task A_lot_or_request_with_nothing_left_a_deal_step_in_the_wrong_status_and_an_unverified_buyer_at_its_cap_are_said_in_Vietnamese()
    {
        var refusals = await Refusals.OpenAsync(factory, "reply-language");
        var market = Service<MarketCommands>();
        var steps = Service<DealSteps>();
        var cooperative = new Caller(Caller.Cooperative, refusals.Cooperative.Id, true);
        var buyer = new Caller(Caller.Buyer, refusals.Buyer.Id, true);

        var sold = await market.WithdrawLotAsync(refusals.SoldLot, cooperative);
        var withdrawn = await market.WithdrawLotAsync(refusals.WithdrawnLot, cooperative);
        var shortfall = await market.ReportShortfallAsync(refusals.WithdrawnLot, new ReportShortfall(1), null, cooperative);
        var filled = await market.CancelRequestAsync(refusals.FilledRequest, buyer);
        var cancelled = await market.CancelRequestAsync(refusals.CancelledRequest, buyer);
        var early = await steps.TakeAsync(refusals.Deal, DealStep.Ship, null, cooperative);
        var capped = await market.PlaceRequestAsync(refusals.Unverified.Id,
            new PlaceRequest(refusals.Product, 600, factory.Today.AddDays(14), factory.Today.AddDays(27), 30_000), null,
            new Caller(Caller.Buyer, refusals.Unverified.Id, false));
        await refusals.SettleAsync();
        var final = await steps.TakeAsync(refusals.Deal, DealStep.Cancel, null, buyer);

        Assert.Multiple(
            () => Assert.Equal("Lô hàng đã bán hết: không còn gì để rút.", Said(sold.Detail)),
            () => Assert.Equal("Lô hàng đã rút: không còn gì để rút.", Said(withdrawn.Detail)),
            () => Assert.Equal("Lô hàng đã rút: không thể thay đổi số lượng nữa.", Said(shortfall.Detail)),
            () => Assert.Equal("Yêu cầu mua đã khớp đủ: không còn gì để hủy.", Said(filled.Detail)),
            () => Assert.Equal("Yêu cầu mua đã hủy: không còn gì để hủy.", Said(cancelled.Detail)),
            () => Assert.Equal("Giao dịch đang ở trạng thái đề xuất: lúc này không thể chuyển sang trạng thái đã gửi hàng.", Said(early.Detail)),
            () => Assert.Equal("Người mua chưa được xác minh, cùng với những người mua khác đăng ký từ cùng địa chỉ, chỉ được có cùng lúc tối đa 1000 kg, trong tối đa 100 yêu cầu mua, đã đặt mà chưa nhận hàng; phòng Nông nghiệp huyện xác minh người mua.",
                Said(capped.Detail)),
            () => Assert.Equal("Giao dịch đã thanh toán: không thể thay đổi gì thêm.", Said(final.Detail)));
    }

    private T Service<T>() where T : notnull => factory.Services.GetRequiredService<T>();

    /// <summary>A refusal as a page in Vietnamese shows it.</summary>
    private string Said(FieldMessage? detail)
    {
        Assert.NotNull(detail);
        return VietnamesePage.Say(() => detail.In(text));
    }
}
