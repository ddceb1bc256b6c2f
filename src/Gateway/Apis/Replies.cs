using CoopMarket.Gateway.Validation;

namespace CoopMarket.Gateway.Apis;

/// <summary>The outcome of a command, before it becomes an HTTP answer (or a line in the demo loader's log).</summary>
/// <remarks>Its <see cref="Detail"/>, why the command refused, is kept as a sentence and the values it names, as a field error is: the
/// API's problem detail is its English (<see cref="FieldMessage.ToString"/>), a page says it in the reader's language
/// (<see cref="FieldMessage.In"/>). Braces in a sentence with values are doubled; an id someone typed goes in as a value.</remarks>
internal sealed record Reply<T>(T? Value, int Status, string? Title = null, FieldMessage? Detail = null, IDictionary<string, FieldMessage[]>? Errors = null)
{
    public bool Succeeded => Value is not null && Status is >= 200 and < 300;

    public static Reply<T> Invalid(FieldErrors errors) => new(default, StatusCodes.Status400BadRequest, Errors: errors.ToDictionary());

    public static Reply<T> NotFound(string sentence, params object[] values) =>
        new(default, StatusCodes.Status404NotFound, "Not found", new FieldMessage(sentence, values));

    public static Reply<T> Forbidden(string sentence, params object[] values) =>
        new(default, StatusCodes.Status403Forbidden, "Forbidden", new FieldMessage(sentence, values));

    public static Reply<T> Conflict(string sentence, params object[] values) =>
        new(default, StatusCodes.Status409Conflict, "Conflict", new FieldMessage(sentence, values));

    public static Reply<T> KeyReused() => new(default, StatusCodes.Status422UnprocessableEntity, "Idempotency key reused",
        new FieldMessage($"This {Idempotency.Header} was already used with a different body; nothing was changed.", []));

    public IResult ToResult(Func<T, string>? location = null)
    {
        if (Errors is not null)
        {
            return TypedResults.ValidationProblem(Errors.ToDictionary(e => e.Key, e => e.Value.Select(m => m.ToString()).ToArray()),
                title: "The request is invalid; nothing was changed.");
        }

        if (Status == StatusCodes.Status204NoContent)
        {
            return TypedResults.NoContent();
        }

        if (Value is null || Status >= 400)
        {
            return TypedResults.Problem(statusCode: Status, title: Title, detail: Detail?.ToString());
        }

        return Status == StatusCodes.Status201Created && location is not null
            ? TypedResults.Created(location(Value), Value)
            : TypedResults.Json(Value, statusCode: Status);
    }
}
