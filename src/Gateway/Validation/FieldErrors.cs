using System.Globalization;
using System.Text.Json;
using CoopMarket.Gateway.Contracts;
using CoopMarket.Gateway.Places;
using CoopMarket.Grains.Market;
using CoopMarket.Matching;

namespace CoopMarket.Gateway.Validation;

/// <summary>Collects what is wrong with a request body, field by field, for one 400 answer that lists it all.</summary>
internal sealed class FieldErrors(DateOnly today)
{
    public const int NameLength = 200;
    public const int PlaceNameLength = 100;
    private static readonly DateOnly Earliest = new(2000, 1, 1);

    private readonly Dictionary<string, List<FieldMessage>> errors = new(StringComparer.Ordinal);

    public DateOnly Today { get; } = today;
    public DateOnly Latest => Today.AddYears(2);
    public bool Any => errors.Count > 0;

    /// <summary>What is wrong with <paramref name="field"/>; the amounts it names go in <paramref name="values"/>
    /// (<c>{0}</c>…), so that the sentence stays the key of its translation.</summary>
    public void Add(string field, string sentence, params object[] values)
    {
        if (!errors.TryGetValue(field, out var list))
        {
            errors[field] = list = [];
        }

        list.Add(new FieldMessage(sentence, values));
    }

    public IDictionary<string, FieldMessage[]> ToDictionary() => errors.ToDictionary(e => e.Key, e => e.Value.ToArray());

    public string Text(string field, string? value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Add(field, "Required.");
            return "";
        }

        var text = value.Trim();
        if (text.Length > maxLength)
        {
            Add(field, "At most {0} characters.", maxLength);
        }

        if (text.Any(char.IsControl))
        {
            Add(field, "Control characters are not allowed.");
        }

        // No name needs markup; refusing it keeps a stored name from ever becoming a script in someone's page.
        if (text.AsSpan().IndexOfAny('<', '>') >= 0)
        {
            Add(field, "The characters < and > are not allowed.");
        }

        return text;
    }

    public string OneOf(string field, string? value, IReadOnlyCollection<string> allowed, string? fallback = null)
    {
        if (value is null && fallback is not null)
        {
            return fallback;
        }

        var match = allowed.FirstOrDefault(a => string.Equals(a, value, StringComparison.OrdinalIgnoreCase));
        if (match is null)
        {
            Add(field, "Must be one of: {0}.", string.Join(", ", allowed));
        }

        return match ?? "";
    }

    /// <summary>The member of <paramref name="allowed"/> the API spells as <paramref name="value"/> (in any case), or
    /// <paramref name="fallback"/> when the field is absent: the one place the market's words become the core's enums.</summary>
    public T OneOf<T>(string field, string? value, IReadOnlyCollection<T> allowed, T? fallback = null) where T : struct, Enum
    {
        if (value is null && fallback is { } absent)
        {
            return absent;
        }

        foreach (var candidate in allowed)
        {
            if (string.Equals(Vocabulary.Name(candidate), value, StringComparison.OrdinalIgnoreCase))
            {
                return candidate;
            }
        }

        Add(field, "Must be one of: {0}.", string.Join(", ", allowed.Select(Vocabulary.Name)));
        return default;
    }

    /// <summary>Kilograms to whole grams: more than zero (or zero where allowed), at most 10,000,000 kg.</summary>
    public long Grams(string field, decimal? kg, bool required = true, bool allowZero = false)
    {
        if (kg is not { } value)
        {
            if (required)
            {
                Add(field, "Required.");
            }

            return 0;
        }

        if (value < 0 || value == 0 && !allowZero)
        {
            Add(field, allowZero ? "Must not be negative." : "Must be more than 0.");
        }
        else if (value > Matching.Grams.Max / Matching.Grams.PerKg)
        {
            Add(field, "At most 10,000,000 kg.");
        }
        else if (!Matching.Grams.IsWholeGrams(value))
        {
            Add(field, "Quantities are counted to the gram: at most three decimals.");
        }
        else
        {
            return Matching.Grams.FromKg(value);
        }

        return 0;
    }

    public long Price(string field, decimal? vndPerKg)
    {
        if (vndPerKg is not { } value)
        {
            Add(field, "Required.");
        }
        else if (value <= 0 || value > MarketLimits.MaxVndPerKg)
        {
            Add(field, "Must be more than 0 and at most 10,000,000 VND per kg.");
        }
        else if (value != decimal.Truncate(value))
        {
            Add(field, "Prices are whole VND.");
        }
        else
        {
            return (long)value;
        }

        return 0;
    }

    public DateOnly Date(string field, DateOnly? date)
    {
        if (date is not { } value)
        {
            Add(field, "Required.");
            return default;
        }

        if (value < Earliest || value > Latest)
        {
            // The dates go in written as the API has always written them, so the reader's language cannot change them.
            Add(field, "Must be between {0} and {1}.", Earliest.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                Latest.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }

        return value;
    }

    public void Window(string toField, DateOnly from, DateOnly to)
    {
        if (to < from)
        {
            Add(toField, "A window must not end before it starts.");
        }
    }

    public IReadOnlyList<CertificationInfo> Certifications(string field, IReadOnlyList<CertificationDto>? certifications)
    {
        var result = new List<CertificationInfo>();
        foreach (var (certification, i) in (certifications ?? []).Select((c, i) => (c, i)))
        {
            var at = $"{field}[{i}]";
            var scheme = OneOf($"{at}.scheme", certification?.Scheme, Vocabulary.SchemeValues);
            if (scheme == CertificationScheme.Ocop && certification?.Stars is not (>= 1 and <= MarketLimits.MaxOcopStars))
            {
                Add($"{at}.stars", "OCOP carries 1 to 5 stars.");
            }
            else if (scheme != CertificationScheme.Ocop && certification?.Stars is not null)
            {
                Add($"{at}.stars", "Only OCOP carries stars.");
            }

            if (certification?.ValidUntil is { } until)
            {
                Date($"{at}.validUntil", until);
            }

            result.Add(new CertificationInfo(scheme, certification?.Stars, certification?.ValidUntil));
        }

        if (result.Count > 10)
        {
            Add(field, "At most 10 certifications.");
        }

        return result;
    }

    /// <summary>A gazetteer name or <c>{lat, lon}</c>; null means "use the default".</summary>
    public GeoPlace? Place(string field, JsonElement? element)
    {
        switch (element)
        {
            case null or { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined }:
                return null;
            case { ValueKind: JsonValueKind.String } name:
                var text = Text(field, name.GetString(), PlaceNameLength);
                var place = Gazetteer.Find(text);
                if (place is null && text.Length > 0)
                {
                    // The sentence is a format, so its own braces are doubled; the name as typed goes in as {0}, so braces in it are never read as one.
                    Add(field, "Unknown place '{0}'. Known: {1}; or give {{\"lat\": …, \"lon\": …}}.", text,
                        string.Join(", ", Gazetteer.Places.Select(p => p.Name)));
                }

                return place;
            case { ValueKind: JsonValueKind.Object } point
                when point.TryGetProperty("lat", out var lat) && lat.TryGetDouble(out var latitude)
                && point.TryGetProperty("lon", out var lon) && lon.TryGetDouble(out var longitude):
                if (latitude is < -90 or > 90 || longitude is < -180 or > 180)
                {
                    Add(field, "Latitude is -90 to 90, longitude -180 to 180.");
                    return null;
                }

                return new GeoPlace(string.Create(CultureInfo.InvariantCulture, $"{latitude:0.#####},{longitude:0.#####}"), latitude, longitude);
            default:
                Add(field, "A place is a gazetteer name or {\"lat\": …, \"lon\": …}.");
                return null;
        }
    }
}
