using System.Globalization;

namespace CoopMarket.Gateway.Tests.Localization;

/// <summary>Says something as a page in Vietnamese does: the request's culture is the page's, so the web app's
/// localizer answers in Vietnamese and writes amounts the Vietnamese way.</summary>
internal static class VietnamesePage
{
    private static readonly CultureInfo Vietnamese = CultureInfo.GetCultureInfo("vi-VN");

    public static T Say<T>(Func<T> say)
    {
        var (culture, uiCulture) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = Vietnamese;
        try
        {
            return say();
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (culture, uiCulture);
        }
    }
}
