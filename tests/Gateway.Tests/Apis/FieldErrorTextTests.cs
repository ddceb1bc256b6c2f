using System.Globalization;
using System.Net;
using System.Text.Json;
using CoopMarket.Gateway.Places;
using CoopMarket.Grains;

namespace CoopMarket.Gateway.Tests.Apis;

/// <summary>The API's English for the field errors that name an amount, word for word: clients outside this repository
/// read these texts, so keeping an amount apart from its sentence (for the web app's translation) must not change a byte.</summary>
[Collection(GatewayCollection.Name)]
public sealed class FieldErrorTextTests(GatewayFactory factory)
{
    private readonly Api admin = factory.Admin();

    private static string KnownPlaces => string.Join(", ", Gazetteer.Places.Select(p => p.Name));

    [Fact]
    public async Task A_name_over_its_length_a_kind_outside_the_list_and_an_unknown_commune_are_said_as_before()
    {
        var tooLong = Errors(await admin.PostAsync("/api/cooperatives",
            new { name = new string('x', 201), kind = "pirate", commune = "Đông Lai", district = "Tân Lạc", province = "Hòa Bình" }));
        var nowhere = Errors(await admin.PostAsync("/api/cooperatives",
            new { name = "HTX (thử)", kind = "HTX", commune = "Narnia", district = "Nowhere", province = "Atlantis" }));

        Assert.Equal("At most 200 characters.", tooLong.GetProperty("name")[0].GetString());
        Assert.Equal("Must be one of: HTX, THT.", tooLong.GetProperty("kind")[0].GetString());
        Assert.Equal($"Unknown commune, district and province; known places: {KnownPlaces}.", nowhere.GetProperty("commune")[0].GetString());
    }

    [Fact]
    public async Task A_grade_outside_the_list_a_date_out_of_range_an_unknown_place_and_a_lot_past_its_shelf_life_are_said_as_before()
    {
        var product = await factory.ProductAsync("field-texts", shelfLifeDays: 18);
        var cooperative = await admin.CooperativeAsync();
        var today = factory.Clock.Today();
        var path = $"/api/cooperatives/{cooperative.Id}/lots";
        var lot = new { product, quantityKg = 10, grade = "A", harvestFrom = today.AddDays(-40), harvestTo = today.AddDays(-30), askVndPerKg = 20_000 };

        var stale = Errors(await cooperative.Api.PostAsync(path, lot));
        var odd = Errors(await cooperative.Api.PostAsync(path, lot with { grade = "Z", harvestFrom = new DateOnly(1999, 12, 31), harvestTo = today }));
        var place = Errors(await cooperative.Api.PostAsync(path, new
        {
            product, quantityKg = 10, grade = "A", harvestFrom = today, harvestTo = today, askVndPerKg = 20_000,
            // Braces in a typed name: the API quotes them as typed.
            pickupCommune = "Narnia {0}",
        }));

        Assert.Equal($"Harvested by {Day(today.AddDays(-30))}, the lot is past the product's 18 days of shelf life: it can no longer be sold fresh.",
            stale.GetProperty("harvestTo")[0].GetString());
        Assert.Equal("Must be one of: A, B, C.", odd.GetProperty("grade")[0].GetString());
        Assert.Equal($"Must be between 2000-01-01 and {Day(today.AddYears(2))}.", odd.GetProperty("harvestFrom")[0].GetString());
        Assert.Equal($"Unknown place 'Narnia {{0}}'. Known: {KnownPlaces}; or give {{\"lat\": …, \"lon\": …}}.",
            place.GetProperty("pickupCommune")[0].GetString());
    }

    [Fact]
    public async Task A_chain_member_that_is_no_cooperative_is_said_as_before()
    {
        var product = await factory.ProductAsync("field-texts-chain");
        var chain = (await admin.CreatedAsync("/api/value-chains", new { name = "Chuỗi thử", products = new[] { product }, policy = "PriceTime" }))
            .GetProperty("id").GetString()!;

        var errors = Errors(await admin.PostAsync($"/api/value-chains/{chain}/members", new { cooperativeId = "coop-nobody {0}" }));

        Assert.Equal("No cooperative has the id 'coop-nobody {0}'.", errors.GetProperty("cooperativeId")[0].GetString());
    }

    private static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static JsonElement Errors((HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response) answer)
    {
        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        return answer.Body.GetProperty("errors");
    }
}
