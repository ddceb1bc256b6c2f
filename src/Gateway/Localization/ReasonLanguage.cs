using System.Globalization;
using Microsoft.AspNetCore.Localization;

namespace CoopMarket.Gateway.Localization;

/// <summary>Chooses the language of a deal's reason from <c>Accept-Language</c>: Vietnamese unless the caller prefers
/// English. Only the UI culture follows the header; number and date formatting of everything else stays as it was.</summary>
internal static class ReasonLanguage
{
    public static IApplicationBuilder UseReasonLanguage(this IApplicationBuilder app)
    {
        var options = new RequestLocalizationOptions
        {
            DefaultRequestCulture = new RequestCulture(CultureInfo.CurrentCulture, CultureInfo.GetCultureInfo("vi-VN")),
            SupportedCultures = [CultureInfo.CurrentCulture],
            // The neutral cultures catch en-GB, vi and the like through their parents.
            SupportedUICultures = [CultureInfo.GetCultureInfo("vi-VN"), CultureInfo.GetCultureInfo("vi"),
                CultureInfo.GetCultureInfo("en-US"), CultureInfo.GetCultureInfo("en")],
            FallBackToParentUICultures = true,
        };
        // The header only: no query string or cookie switches the language behind a cache's back.
        options.RequestCultureProviders = [new AcceptLanguageHeaderRequestCultureProvider { Options = options }];
        return app.UseRequestLocalization(options);
    }
}
