using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.Extensions.WebEncoders;
using Microsoft.AspNetCore.Localization;
using CoopMarket.Gateway.Security;

namespace CoopMarket.Gateway.Web;

/// <summary>The web app for people (Razor Pages at <c>/</c>): Vietnamese by default, English on request, signed in with
/// the same participant keys the API takes, and calling the same commands the API calls.</summary>
internal static class WebSetup
{
    public const string CooperativePolicy = "cooperative";
    public const string BuyerPolicy = "buyer";

    /// <summary>A cooperative or a buyer: the participants with an inbox.</summary>
    public const string ParticipantPolicy = "participant";

    /// <summary>Vietnamese first: the people the platform exists for read it; English for visitors and buyers abroad.</summary>
    public static readonly CultureInfo[] Cultures = [new("vi-VN"), new("en-US")];

    public static WebApplicationBuilder AddCoopMarketWeb(this WebApplicationBuilder builder)
    {
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(CooperativePolicy, p => p.RequireRole(Caller.Cooperative))
            .AddPolicy(BuyerPolicy, p => p.RequireRole(Caller.Buyer))
            .AddPolicy(ParticipantPolicy, p => p.RequireRole(Caller.Cooperative, Caller.Buyer));
        builder.Services.AddRazorPages(o =>
        {
            o.Conventions.AuthorizeFolder("/Coop", CooperativePolicy);
            o.Conventions.AuthorizeFolder("/Buyer", BuyerPolicy);
            o.Conventions.AllowAnonymousToPage("/Buyer/Register");
            o.Conventions.AuthorizeFolder("/Admin", SecuritySetup.AdminPolicy);
            o.Conventions.AuthorizeFolder("/Inbox", ParticipantPolicy);
            // Either side of a deal: the deal itself is checked against the caller, as the API does.
            o.Conventions.AuthorizeFolder("/Deals");
        });
        PublicSiteOptions.AddTo(builder.Services);
        builder.Services.AddHostedService<PublicAddressCheck>();
        builder.Services.AddScoped<DistrictOverview>();
        builder.Services.AddScoped<ProductNames>();
        builder.Services.AddScoped<ParticipantNames>();
        // Vietnamese letters go out as themselves, not as &#x1EA3; entities: a third of the bytes on a slow phone line,
        // and readable in the page source. Markup characters are still encoded.
        builder.Services.Configure<WebEncoderOptions>(o => o.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        return builder;
    }

    /// <summary>The culture of pages: the person's own choice, not the browser's. The API follows Accept-Language
    /// only for the language of deals' reasons (<see cref="Localization.ReasonLanguage"/>).</summary>
    public static WebApplication UseCoopMarketWeb(this WebApplication app)
    {
        var localization = new RequestLocalizationOptions { DefaultRequestCulture = new RequestCulture(Cultures[0]) };
        localization.SupportedCultures = localization.SupportedUICultures = Cultures;
        // The person's own choice (query, then cookie) wins; a browser's Accept-Language is not asked, so a phone set to
        // English still opens in Vietnamese, as the district office wants, until its user switches.
        localization.RequestCultureProviders = [new QueryStringRequestCultureProvider(), new CookieRequestCultureProvider()];
        app.UseWhen(c => !c.Request.Path.StartsWithSegments("/api"), web => web.UseRequestLocalization(localization));
        return app;
    }

    public static IEndpointRouteBuilder MapCoopMarketWeb(this IEndpointRouteBuilder app)
    {
        app.MapRazorPages();
        app.MapGet("/language/{culture}", ChooseLanguage).ExcludeFromDescription();
        app.MapDistrictExports();
        app.MapInboxEvents();
        return app;
    }

    /// <summary>Remembers the language for a year and goes back to the page the person was on.</summary>
    private static IResult ChooseLanguage(string culture, string? returnUrl, HttpContext context)
    {
        var chosen = Cultures.FirstOrDefault(c => c.TwoLetterISOLanguageName == culture) ?? Cultures[0];
        context.Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
            CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(chosen)),
            new CookieOptions { MaxAge = TimeSpan.FromDays(365), HttpOnly = true, SameSite = SameSiteMode.Lax, IsEssential = true });
        return Results.LocalRedirect(Microsoft.AspNetCore.Http.HttpResults.RedirectHttpResult.IsLocalUrl(returnUrl) ? returnUrl! : "/");
    }
}
