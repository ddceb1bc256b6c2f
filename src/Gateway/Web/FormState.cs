using System.Globalization;
using CoopMarket.Gateway.Validation;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.Extensions.Localization;

namespace CoopMarket.Gateway.Web;

/// <summary>What a person typed into a form, kept as typed, with the errors for each field: a form the server
/// refuses comes back filled in, each message beside its field. The rules themselves are the commands' (the API's
/// <see cref="FieldErrors"/>); this class only turns form text into the values a command takes.</summary>
internal sealed class FormState
{
    private readonly Dictionary<string, string[]> values;
    private readonly Dictionary<string, List<FieldMessage>> errors = new(StringComparer.Ordinal);

    public FormState(IEnumerable<KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>> source) =>
        values = source.ToDictionary(p => p.Key, p => p.Value.Where(v => v is not null).Select(v => v!).ToArray(), StringComparer.Ordinal);

    public static FormState Empty => new([]);

    public bool HasErrors => errors.Count > 0;

    /// <summary>Why the command refused the form as a whole, when its refusal names no field: a page shows it with
    /// <see cref="FieldMessage.In"/>, in its language.</summary>
    public FieldMessage? Failure { get; private set; }

    /// <summary>Sends the form's command, unless a field could not even be read (the person sees what to fix first);
    /// null then. On a refusal the command's field errors go beside their fields, the rest to <see cref="Failure"/>,
    /// and its status to the response the form is shown again with.</summary>
    public async Task<Apis.Reply<T>?> SendAsync<T>(HttpResponse response, Func<Task<Apis.Reply<T>>> command)
    {
        if (HasErrors)
        {
            response.StatusCode = StatusCodes.Status400BadRequest;
            return null;
        }

        var reply = await command();
        if (!reply.Succeeded)
        {
            Absorb(reply.Errors);
            Failure = reply.Errors is null ? reply.Detail : null;
            response.StatusCode = reply.Status;
        }

        return reply;
    }

    /// <summary>A date field's value as a browser's date field sends it.</summary>
    public void Set(string name, DateOnly date) => Set(name, date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

    public string this[string name] => values.TryGetValue(name, out var v) && v.Length > 0 ? v[0] : "";

    public void Set(string name, string value) => values[name] = [value];

    public bool Has(string name, string value) => values.TryGetValue(name, out var v) && v.Contains(value, StringComparer.Ordinal);

    public IReadOnlyList<string> All(string name) => values.TryGetValue(name, out var v) ? v : [];

    public string? Text(string name) => this[name] is { Length: > 0 } text ? text : null;

    /// <summary>A number as a browser's number field sends it (always with a '.' decimal point, whatever the language).</summary>
    public decimal? Decimal(string name) =>
        Parse(name, text => decimal.TryParse(text, NumberStyles.Number & ~NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out var d) ? d : (decimal?)null);

    public int? Int(string name) =>
        Parse(name, text => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i : (int?)null);

    /// <summary>A date as a browser's date field sends it: <c>yyyy-MM-dd</c>.</summary>
    public DateOnly? Date(string name) =>
        Parse(name, text => DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : (DateOnly?)null);

    private T? Parse<T>(string name, Func<string, T?> parse) where T : struct
    {
        if (Text(name) is not { } text)
        {
            return null;
        }

        var value = parse(text.Trim());
        if (value is null)
        {
            AddError(name, "Not a valid value.");
        }

        return value;
    }

    public void AddError(string field, string message) => AddError(field, new FieldMessage(message, []));

    private void AddError(string field, FieldMessage message)
    {
        if (!errors.TryGetValue(field, out var list))
        {
            errors[field] = list = [];
        }

        list.Add(message);
    }

    /// <summary>Takes the command's field errors, except for fields this form already could not read: "Required." beside
    /// a field that holds "abc" would mislead.</summary>
    public void Absorb(IDictionary<string, FieldMessage[]>? commandErrors)
    {
        foreach (var (field, messages) in commandErrors ?? new Dictionary<string, FieldMessage[]>())
        {
            if (!errors.ContainsKey(Root(field)))
            {
                foreach (var message in messages)
                {
                    AddError(Root(field), message);
                }
            }
        }
    }

    /// <summary>An error about <c>certifications[0].stars</c> is shown beside the certifications.</summary>
    private static string Root(string field) => field.IndexOfAny(['[', '.']) is var cut and > 0 ? field[..cut] : field;

    public IReadOnlyList<FieldMessage> ErrorsFor(string field) => errors.TryGetValue(field, out var list) ? list : [];

    /// <summary>A labelled input with its errors beside it, tied together for screen readers.</summary>
    public IHtmlContent Field(IStringLocalizer text, string name, string label, string type = "text", string? hint = null,
        IDictionary<string, string>? attributes = null)
    {
        var input = new TagBuilder("input") { TagRenderMode = TagRenderMode.SelfClosing };
        input.Attributes["type"] = type;
        input.Attributes["value"] = this[name];
        if (attributes is not null)
        {
            foreach (var (key, value) in attributes)
            {
                input.Attributes[key] = value;
            }
        }

        return Labelled(text, name, label, input, hint);
    }

    /// <summary>A labelled drop-down; <paramref name="options"/> are (value, text) pairs.</summary>
    public IHtmlContent Select(IStringLocalizer text, string name, string label, IEnumerable<(string Value, string Text)> options, string? hint = null)
    {
        var select = new TagBuilder("select");
        foreach (var (value, caption) in options)
        {
            var option = new TagBuilder("option");
            option.Attributes["value"] = value;
            if (this[name] == value)
            {
                option.Attributes["selected"] = "selected";
            }

            option.InnerHtml.Append(caption);
            select.InnerHtml.AppendHtml(option);
        }

        return Labelled(text, name, label, select, hint);
    }

    private HtmlContentBuilder Labelled(IStringLocalizer text, string name, string label, TagBuilder control, string? hint)
    {
        control.Attributes["id"] = name;
        control.Attributes["name"] = name;
        var described = new List<string>();
        var html = new HtmlContentBuilder();
        var labelTag = new TagBuilder("label");
        labelTag.Attributes["for"] = name;
        labelTag.InnerHtml.Append(label);
        html.AppendHtml(labelTag);
        if (hint is not null)
        {
            html.AppendHtml(Paragraph("note", $"{name}-hint", hint));
            described.Add($"{name}-hint");
        }

        var messages = ErrorsFor(name);
        if (messages.Count > 0)
        {
            control.Attributes["aria-invalid"] = "true";
            described.Add($"{name}-error");
        }

        if (described.Count > 0)
        {
            control.Attributes["aria-describedby"] = string.Join(' ', described);
        }

        html.AppendHtml(control);
        html.AppendHtml(Errors(text, name));
        return html;
    }

    /// <summary>The field's errors, in the reader's language where the resource files know the message.</summary>
    public IHtmlContent Errors(IStringLocalizer text, string name)
    {
        var messages = ErrorsFor(name);
        return messages.Count == 0
            ? HtmlString.Empty
            : Paragraph("error", $"{name}-error", string.Join(" ", messages.Select(m => m.In(text))));
    }

    private static TagBuilder Paragraph(string cssClass, string id, string content)
    {
        var p = new TagBuilder("p");
        p.Attributes["class"] = cssClass;
        p.Attributes["id"] = id;
        p.InnerHtml.Append(content);
        return p;
    }
}
