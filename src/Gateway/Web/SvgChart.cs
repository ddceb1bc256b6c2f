using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Html;

namespace CoopMarket.Gateway.Web;

/// <summary>Charts drawn on the server as SVG: no script, no chart library, a few kilobytes, readable on any phone.
/// Each carries a title and a description for screen readers; the tables beside them hold the same numbers.</summary>
internal static class SvgChart
{
    private const int Width = 640;
    private const string SupplyColour = "#1d5e2f";
    private const string DemandColour = "#b35c00";
    private const string InkColour = "#1b1b1b";

    /// <summary>Horizontal bars, two per row: <c>(label, first, second)</c>, e.g. open supply beside open demand.</summary>
    public static IHtmlContent PairedBars(string title, string firstName, string secondName, IReadOnlyList<(string Label, decimal First, decimal Second)> rows)
    {
        const int rowHeight = 44, labelWidth = 180, top = 34;
        var height = top + rows.Count * rowHeight + 8;
        var max = Math.Max(1m, rows.Select(r => Math.Max(r.First, r.Second)).DefaultIfEmpty(0).Max());
        var svg = Open(title, height);
        Legend(svg, firstName, SupplyColour, 0);
        Legend(svg, secondName, DemandColour, 200);
        foreach (var ((label, first, second), i) in rows.Select((r, i) => (r, i)))
        {
            var y = top + i * rowHeight;
            Text(svg, 0, y + 20, label, "start");
            Bar(svg, labelWidth, y + 4, (double)(first / max) * (Width - labelWidth - 110), 16, SupplyColour, Formats.Kg(first));
            Bar(svg, labelWidth, y + 22, (double)(second / max) * (Width - labelWidth - 110), 16, DemandColour, Formats.Kg(second));
        }

        return Close(svg);
    }

    /// <summary>Daily kilograms as bars and the day's average price as a line over them, oldest day first.</summary>
    public static IHtmlContent VolumeAndPrice(string title, string volumeName, string priceName, IReadOnlyList<(DateOnly Day, decimal Kg, long VndPerKg)> days)
    {
        const int height = 220, top = 30, bottom = 30, left = 8;
        var plot = height - top - bottom;
        var maxKg = Math.Max(1m, days.Select(d => d.Kg).DefaultIfEmpty(0).Max());
        var prices = days.Select(d => d.VndPerKg).ToList();
        var (low, high) = prices.Count == 0 ? (0L, 1L) : (prices.Min(), Math.Max(prices.Max(), prices.Min() + 1));
        var step = (Width - left * 2) / (double)Math.Max(1, days.Count);
        var svg = Open(title, height);
        Legend(svg, volumeName, SupplyColour, 0);
        Legend(svg, priceName, DemandColour, 200);
        var points = new List<string>();
        foreach (var ((day, kg, price), i) in days.Select((d, i) => (d, i)))
        {
            var x = left + i * step;
            var barHeight = (double)(kg / maxKg) * (plot - 10);
            svg.Append(Invariant($"<rect x=\"{x + step * 0.15:0.#}\" y=\"{top + plot - barHeight:0.#}\" width=\"{step * 0.7:0.#}\" height=\"{barHeight:0.#}\" fill=\"{SupplyColour}\"><title>"))
                .Append(Encode($"{Formats.Date(day)}: {Formats.Kg(kg)}, {Formats.VndPerKg(price)}")).Append("</title></rect>");
            var (px, py) = (x + step / 2, top + plot - (price - low) / (double)(high - low) * (plot - 20) - 10);
            points.Add(Invariant($"{px:0.#},{py:0.#}"));
            // A dot on each day, so a single day's price shows too.
            svg.Append(Invariant($"<circle cx=\"{px:0.#}\" cy=\"{py:0.#}\" r=\"5\" fill=\"{DemandColour}\"/>"));
            if (i == 0 || i == days.Count - 1)
            {
                Text(svg, x + step / 2, height - 8, Formats.Date(day), "middle");
            }
        }

        svg.Append(Invariant($"<polyline points=\"{string.Join(' ', points)}\" fill=\"none\" stroke=\"{DemandColour}\" stroke-width=\"3\"/>"));
        return Close(svg);
    }

    private static StringBuilder Open(string title, int height)
    {
        var id = $"chart-{Guid.NewGuid():N}";
        return new StringBuilder(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Width} {height}\" width=\"{Width}\" height=\"{height}\" role=\"img\" aria-labelledby=\"{id}\">"))
            .Append("<title id=\"").Append(id).Append("\">").Append(Encode(title)).Append("</title>");
    }

    private static HtmlString Close(StringBuilder svg) => new(svg.Append("</svg>").ToString());

    private static void Legend(StringBuilder svg, string name, string colour, int x)
    {
        svg.Append(Invariant($"<rect x=\"{x}\" y=\"4\" width=\"14\" height=\"14\" fill=\"{colour}\"/>"));
        Text(svg, x + 20, 16, name, "start");
    }

    private static void Bar(StringBuilder svg, double x, double y, double width, double height, string colour, string value)
    {
        svg.Append(Invariant($"<rect x=\"{x:0.#}\" y=\"{y:0.#}\" width=\"{Math.Max(1, width):0.#}\" height=\"{height:0.#}\" fill=\"{colour}\"/>"));
        Text(svg, x + Math.Max(1, width) + 6, y + height - 3, value, "start");
    }

    private static void Text(StringBuilder svg, double x, double y, string text, string anchor) =>
        svg.Append(Invariant($"<text x=\"{x:0.#}\" y=\"{y:0.#}\" font-size=\"14\" fill=\"{InkColour}\" text-anchor=\"{anchor}\">")).Append(Encode(text)).Append("</text>");

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
