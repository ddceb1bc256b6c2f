using System.Globalization;
using System.Text.Json;
using CoopMarket.Gateway.Apis;
using CoopMarket.Gateway.Contracts;
using CoopMarket.Gateway.Places;
using CoopMarket.Gateway.Security;
using CoopMarket.Gateway.Validation;
using CoopMarket.Gateway.Web;
using CoopMarket.Grains;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace CoopMarket.Gateway.Tests.Localization;

/// <summary>Field errors as a Vietnamese page says them, through the web app's own localizer: those that name an amount
/// in Vietnamese with the amount in place, not in the API's English for want of a translation of that one amount, and
/// those without one that pages showed in English for want of any translation.</summary>
[Collection(GatewayCollection.Name)]
public sealed class FieldErrorLanguageTests(GatewayFactory factory)
{
    private static readonly DateOnly Today = new(2026, 12, 1);
    private static string KnownPlaces => string.Join(", ", Gazetteer.Places.Select(p => p.Name));

    private readonly IStringLocalizer<Text> text = factory.Services.GetRequiredService<IStringLocalizer<Text>>();
    private readonly Api admin = factory.Admin();

    [Fact]
    public void A_name_over_its_length_a_word_outside_its_list_and_a_date_out_of_range_are_said_in_Vietnamese()
    {
        var errors = new FieldErrors(Today);
        errors.Text("name", new string('x', 201), FieldErrors.NameLength);
        errors.OneOf("kind", "pirate", ["HTX", "THT"]);
        errors.OneOf("grade", "Z", Vocabulary.GradeValues);
        errors.Date("harvestFrom", new DateOnly(1999, 12, 31));

        var said = Said(errors.ToDictionary());

        // Each message on its own, so one left in English does not hide another.
        Assert.Multiple(
            () => Assert.Equal(["Tối đa 200 ký tự."], said["name"]),
            () => Assert.Equal(["Phải là một trong các giá trị: HTX, THT."], said["kind"]),
            () => Assert.Equal(["Phải là một trong các giá trị: A, B, C."], said["grade"]),
            () => Assert.Equal(["Phải trong khoảng từ 2000-01-01 đến 2028-12-01."], said["harvestFrom"]));
    }

    [Fact]
    public void An_unknown_place_typed_with_braces_is_said_in_Vietnamese_braces_and_all()
    {
        var errors = new FieldErrors(Today);
        errors.Place("pickupCommune", JsonSerializer.SerializeToElement("Narnia {0}"));

        Assert.Equal([$"Không tìm thấy địa danh 'Narnia {{0}}'. Các địa danh đã biết: {KnownPlaces}; hoặc nhập tọa độ {{\"lat\": …, \"lon\": …}}."],
            Said(errors.ToDictionary())["pickupCommune"]);
    }

    [Fact]
    public async Task A_lot_past_its_shelf_life_is_said_in_Vietnamese()
    {
        var product = await factory.ProductAsync("field-language", shelfLifeDays: 18);
        var cooperative = await admin.CooperativeAsync();
        var today = factory.Clock.Today();
        var harvestTo = today.AddDays(-30);

        var reply = await Service<MarketCommands>().PostLotAsync(cooperative.Id,
            new PostLot(product, 10, "A", null, today.AddDays(-40), harvestTo, 20_000), null, Caller.System);

        Assert.Equal([$"Thu hoạch đến ngày {harvestTo.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}, lô hàng đã quá 18 ngày bảo quản của sản phẩm: không thể bán tươi được nữa."],
            Said(reply.Errors)["harvestTo"]);
    }

    [Fact]
    public async Task An_unknown_commune_an_unknown_chain_member_and_an_unknown_product_are_said_in_Vietnamese()
    {
        var product = await factory.ProductAsync("field-language-chain");
        var chain = (await admin.CreatedAsync("/api/value-chains", new { name = "Chuỗi thử", products = new[] { product }, policy = "PriceTime" }))
            .GetProperty("id").GetString()!;
        var errors = new FieldErrors(Today);

        var registered = await Service<ParticipantCommands>().RegisterCooperativeAsync(new RegisterCooperative("HTX (thử)", "HTX", "Narnia", "Nowhere", "Atlantis"), null);
        var joined = await Service<ValueChainCommands>().AddChainMemberAsync(chain, new AddChainMember("coop-nobody {0}", "producer"), null);
        await Service<KnownProducts>().CheckAsync(errors, "product", "product-nobody {0}");

        Assert.Multiple(
            () => Assert.Equal([$"Không tìm thấy xã, huyện hay tỉnh đã nhập; các địa danh đã biết: {KnownPlaces}."], Said(registered.Errors)["commune"]),
            () => Assert.Equal(["Không có hợp tác xã nào có mã 'coop-nobody {0}'."], Said(joined.Errors)["cooperativeId"]),
            () => Assert.Equal(["Không có sản phẩm nào có mã 'product-nobody {0}'; xem danh sách tại /api/products."], Said(errors.ToDictionary())["product"]));
    }

    [Fact]
    public async Task Auto_confirm_lists_over_their_bounds_are_said_in_Vietnamese()
    {
        var cooperative = await admin.CooperativeAsync();

        var reply = await Service<AutoConfirmCommands>().SetAsync(cooperative.Id,
            new SetAutoConfirm([.. Enumerable.Repeat("buyer", 201)], [.. Enumerable.Repeat("chain", 51)]), Caller.System);

        var said = Said(reply.Errors);
        Assert.Multiple(
            () => Assert.Equal(["Tối đa 200."], said["buyerIds"]),
            () => Assert.Equal(["Tối đa 50."], said["valueChainIds"]));
    }

    [Fact]
    public async Task Field_errors_without_an_amount_that_pages_showed_in_English_are_said_in_Vietnamese()
    {
        var errors = new FieldErrors(Today);
        errors.Text("name", "HTX\u0007", FieldErrors.NameLength);
        errors.Text("commune", "<b>Mường Khến</b>", FieldErrors.PlaceNameLength);
        errors.Place("pickupCommune", JsonSerializer.SerializeToElement(new { lat = 91, lon = 105 }));
        errors.Place("location", JsonSerializer.SerializeToElement(42));

        var cooperative = await Service<ParticipantCommands>().RegisterCooperativeAsync(
            new RegisterCooperative("HTX Thử", "HTX", "Mường Khến", "Tân Lạc", "Hòa Bình", Members: -1), null);
        var buyer = await Service<ParticipantCommands>().RegisterBuyerAsync(new RegisterBuyer("Chợ thử", "wholesaler", "Atlantis"), null, Caller.System, "test");
        var noProducts = await Service<ValueChainCommands>().CreateValueChainAsync(new CreateValueChain("Chuỗi thử", [], "Capped"), null);
        var capped = await Service<ValueChainCommands>().CreateValueChainAsync(
            new CreateValueChain("Chuỗi thử", [await factory.ProductAsync("field-language-cap")], "PriceTime", 0.5m), null);

        var said = Said(errors.ToDictionary());
        Assert.Multiple(
            () => Assert.Equal(["Không được dùng ký tự điều khiển."], said["name"]),
            () => Assert.Equal(["Không được dùng ký tự < và >."], said["commune"]),
            () => Assert.Equal(["Vĩ độ từ -90 đến 90, kinh độ từ -180 đến 180."], said["pickupCommune"]),
            () => Assert.Equal(["Địa điểm là một địa danh trong danh mục hoặc {\"lat\": …, \"lon\": …}."], said["location"]),
            () => Assert.Equal(["Số hộ thành viên từ 0 đến 1.000.000."], Said(cooperative.Errors)["members"]),
            () => Assert.Equal(["Tỉnh này không có trong danh mục địa danh: hãy nhập một địa danh đã biết hoặc {\"lat\": …, \"lon\": …}."],
                Said(buyer.Errors)["location"]),
            () => Assert.Equal(["Cần ít nhất một sản phẩm."], Said(noProducts.Errors)["products"]),
            () => Assert.Equal(["Chuỗi giới hạn tỷ phần cần tỷ phần tối đa lớn hơn 0 và không quá 1."], Said(noProducts.Errors)["capShare"]),
            () => Assert.Equal(["Chỉ chuỗi giới hạn tỷ phần mới có tỷ phần tối đa."], Said(capped.Errors)["capShare"]));
    }

    private T Service<T>() where T : notnull => factory.Services.GetRequiredService<T>();

    /// <summary>Each field's errors as a page in Vietnamese shows them.</summary>
    private Dictionary<string, string[]> Said(IDictionary<string, FieldMessage[]>? errors)
    {
        Assert.NotNull(errors);
        return VietnamesePage.Say(() => errors.ToDictionary(e => e.Key, e => e.Value.Select(m => m.In(text)).ToArray()));
    }
}
