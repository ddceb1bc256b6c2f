using System.Globalization;
using Microsoft.AspNetCore.Localization;
using Microsoft.Net.Http.Headers;

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
        // Pages choose their culture in the web app's own localization (query or cookie), which would override this.
        return app.UseWhen(c => c.Request.Path.StartsWithSegments("/api"), api => api.UseRequestLocalization(options));
    }

    /// <summary>Marks the answers of endpoints that render deal reasons: they vary by <c>Accept-Language</c>, so a cache
    /// keeps one copy per language, and a successful one names the language its sentences are in. Problems stay in
    /// English whatever was asked, so they name no language.</summary>
    public static TBuilder WithReasonLanguage<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var result = await next(context);
            var headers = context.HttpContext.Response.Headers;
            headers.Append(HeaderNames.Vary, HeaderNames.AcceptLanguage);
            if (StatusOf(result) is >= 200 and < 300)
            {
                headers.ContentLanguage = ReasonSentence.IsEnglish(CultureInfo.CurrentUICulture) ? "en" : "vi";
            }

            return result;
        });

    private static int? StatusOf(object? result) => result switch
    {
        INestedHttpResult nested => StatusOf(nested.Result),
        IStatusCodeHttpResult status => status.StatusCode,
        _ => null,
    };
}
