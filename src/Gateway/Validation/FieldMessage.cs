using System.Globalization;
using Microsoft.Extensions.Localization;

namespace CoopMarket.Gateway.Validation;

/// <summary>One thing wrong with a field: an English sentence, which is also the key of its translation in the web app's
/// resources, and the amounts it names apart from it, so a page can say it in the reader's language and an amount
/// cannot keep a sentence from being found.</summary>
internal sealed class FieldMessage(string sentence, object[] values)
{
    /// <summary>As the API says it: in English.</summary>
    public override string ToString() => values.Length == 0 ? sentence : string.Format(CultureInfo.InvariantCulture, sentence, values);

    /// <summary>In the reader's language where the resources know the sentence, amounts written the reader's way. A
    /// sentence without amounts is never formatted: it may quote what someone typed, braces and all.</summary>
    public string In(IStringLocalizer text) => (values.Length == 0 ? text[sentence] : text[sentence, values]).Value;
}
