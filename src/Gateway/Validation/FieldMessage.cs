using System.Globalization;
using Microsoft.Extensions.Localization;

namespace CoopMarket.Gateway.Validation;

/// <summary>One thing wrong with a field, or a command's refusal as a whole (<see cref="Apis.Reply{T}.Detail"/>): an
/// English sentence, which is also the key of its translation in the web app's resources, and the amounts it names
/// apart from it, so a page can say it in the reader's language and an amount cannot keep a sentence from being found.</summary>
internal sealed class FieldMessage(string sentence, object[] values)
{
    /// <summary>As the API says it: in English.</summary>
    public override string ToString() => values.Length == 0 ? sentence : string.Format(CultureInfo.InvariantCulture, sentence, values);

    /// <summary>In the reader's language where the resources know the sentence, amounts written the reader's way and a
    /// <see cref="StatusWord"/> said as the page's status column says it; a sentence they do not know is said wholly as
    /// the API says it, not as English with a Vietnamese status in it. A sentence without amounts is never formatted: it
    /// may quote what someone typed, braces and all.</summary>
    public string In(IStringLocalizer text)
    {
        if (values.Length == 0)
        {
            return text[sentence].Value;
        }

        var said = text[sentence, [.. values.Select(v => v is StatusWord word ? word.In(text) : v)]];
        return said.ResourceNotFound ? ToString() : said.Value;
    }
}

/// <summary>A status named inside a sentence ("The lot is {0}: …"): the API says it as the status is written
/// (<c>sold</c>), a page in its language, as its status column does (the <c>status:sold</c> resource), so one sentence
/// serves every status.</summary>
internal sealed record StatusWord(string Status)
{
    public override string ToString() => Status;

    public string In(IStringLocalizer text) => text["status:" + Status].Value;
}
