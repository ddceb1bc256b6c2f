namespace CoopMarket.Gateway.Web;

/// <summary>Names the web app's resource files: <c>Text.resx</c> (Vietnamese, the default) and <c>Text.en.resx</c>.</summary>
internal sealed class Text;
