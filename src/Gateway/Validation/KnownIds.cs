namespace CoopMarket.Gateway.Validation;

/// <summary>Lists of ids a command names, each checked to name something that exists: the products of a value chain,
/// the buyers and value chains of an auto-confirm rule.</summary>
internal static class KnownIds
{
    /// <summary>Each id as text (its own field, <c>field[i]</c>, takes what is wrong with it), in the order sent. The ids
    /// are looked up side by side: a list of 200 costs one round trip, not 200. <paramref name="unknown"/> is said of an
    /// id that names nothing; where it names the id, as <c>{0}</c>, the id stays apart from the sentence, which stays
    /// the key of its translation.</summary>
    public static async Task<List<string>> KnownIdsAsync(this FieldErrors errors, string field, IReadOnlyList<string> ids, int maxLength,
        Func<string, Task<bool>> exists, string unknown)
    {
        var texts = ids.Select((id, i) => errors.Text($"{field}[{i}]", id, maxLength)).ToList();
        var found = await Task.WhenAll(texts.Select(text => text.Length > 0 ? exists(text) : Task.FromResult(true)));
        foreach (var (text, i) in texts.Select((text, i) => (text, i)).Where(t => !found[t.i]))
        {
            errors.Add($"{field}[{i}]", unknown, text);
        }

        return texts;
    }
}
