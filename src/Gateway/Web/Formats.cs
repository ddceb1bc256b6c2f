using System.Globalization;
using CoopMarket.Grains;
using CoopMarket.Grains.Catalog;

namespace CoopMarket.Gateway.Web;

/// <summary>Numbers, money and dates as the reader's culture writes them: <c>25.000 ₫/kg</c> and <c>01/12/2026</c> in
/// Vietnamese. The culture is the request's (see <see cref="WebSetup"/>).</summary>
internal static class Formats
{
    public static string Vnd(long vnd) => vnd.ToString("N0", CultureInfo.CurrentCulture) + " ₫";

    public static string VndPerKg(long vnd) => Vnd(vnd) + "/kg";

    /// <summary>Kilograms to the gram, without trailing zeros.</summary>
    public static string Kg(decimal kg) => kg.ToString("#,0.###", CultureInfo.CurrentCulture) + " kg";

    public static string Date(DateOnly date) => date.ToString("d", CultureInfo.CurrentCulture);

    /// <summary>Times are shown as days in Vietnam, where the market is, whatever the server's zone.</summary>
    public static string Date(DateTimeOffset at) => Date(Day(at));

    /// <summary>A moment as the reader's culture writes a short date and time, in Vietnam's time.</summary>
    public static string Time(DateTimeOffset at) => at.ToOffset(MarketTime.VietnamOffset).ToString("g", CultureInfo.CurrentCulture);

    public static DateOnly Day(DateTimeOffset at) => DateOnly.FromDateTime(at.ToOffset(MarketTime.VietnamOffset).DateTime);

    public static string Percent(double share) => share.ToString("P0", CultureInfo.CurrentCulture);

    /// <summary>The product's name in the reader's language.</summary>
    public static string Name(Product product) =>
        CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "vi" ? product.NameVi : product.NameEn;

    /// <summary>A season as month names, e.g. "tháng 5 – tháng 7" or "May – July".</summary>
    public static string Season(Product product)
    {
        var months = CultureInfo.CurrentCulture.DateTimeFormat;
        return $"{months.GetMonthName(product.SeasonFromMonth)} – {months.GetMonthName(product.SeasonToMonth)}";
    }
}
