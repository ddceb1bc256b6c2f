using System.Globalization;
using System.Text;
using CoopMarket.Gateway.Security;

namespace CoopMarket.Gateway.Web;

/// <summary>The district office's spreadsheets: every deal, and the demand still unfilled, as CSV that a spreadsheet
/// opens with Vietnamese intact (UTF-8 with a byte-order mark, which Excel needs to read UTF-8).</summary>
internal static class DistrictExports
{
    public static IEndpointRouteBuilder MapDistrictExports(this IEndpointRouteBuilder app)
    {
        var exports = app.MapGroup("/admin/export").RequireAuthorization(SecuritySetup.AdminPolicy).ExcludeFromDescription();
        exports.MapGet("/deals.csv", async (DistrictOverview overview) => Csv("deals.csv",
            ["id", "madeAt", "product", "cooperative", "commune", "buyer", "quantityKg", "priceVndPerKg", "transportVndPerKg", "status", "deliverOn", "reason"],
            (await overview.ReadAsync()).Deals.Select(d => new object[]
            {
                d.Deal.Id, d.Deal.MadeAt, d.Deal.Product, d.Cooperative, d.Commune, d.Buyer, d.Deal.QuantityKg, d.Deal.PriceVndPerKg,
                d.Deal.TransportVndPerKg, d.Deal.Status, d.Deal.DeliverOn, d.Deal.Reason,
            })));
        exports.MapGet("/unfilled-demand.csv", async (DistrictOverview overview) => Csv("unfilled-demand.csv",
            ["requestId", "product", "buyer", "quantityKg", "remainingKg", "maxVndPerKg", "minGrade", "deliverFrom", "deliverBy", "deliveryLocation"],
            (await overview.ReadAsync()).Unfilled.Select(u => new object[]
            {
                u.Request.Id, u.Request.Product, u.Buyer, u.Request.QuantityKg, u.Request.RemainingKg, u.Request.MaxVndPerKg, u.Request.MinGrade,
                u.Request.DeliverFrom, u.Request.DeliverBy, u.Request.DeliveryLocation.Name,
            })));
        return app;
    }

    /// <summary>Numbers and dates invariant (a spreadsheet in any locale reads <c>1234.5</c> and ISO dates), text quoted.</summary>
    private static IResult Csv(string fileName, string[] header, IEnumerable<object[]> rows)
    {
        var csv = new StringBuilder();
        csv.AppendJoin(',', header).Append("\r\n");
        foreach (var row in rows)
        {
            csv.AppendJoin(',', row.Select(Cell)).Append("\r\n");
        }

        return Results.File([.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(csv.ToString())], "text/csv; charset=utf-8", fileName);
    }

    private static string Cell(object value) => value switch
    {
        DateTimeOffset at => at.ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture),
        DateOnly day => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        _ => Quote(value.ToString() ?? ""),
    };

    /// <summary>Quotes text; a cell a spreadsheet would run as a formula (<c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>) starts
    /// with an apostrophe, so a name typed by a participant can never become one on the district office's computer.</summary>
    private static string Quote(string text)
    {
        if (text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            text = "'" + text;
        }

        return $"\"{text.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
    }
}
