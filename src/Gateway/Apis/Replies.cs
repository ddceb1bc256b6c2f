using CoopMarket.Gateway.Validation;

namespace CoopMarket.Gateway.Apis;

/// <summary>The outcome of a command, before it becomes an HTTP answer (or a line in the demo loader's log).</summary>
internal sealed record Reply<T>(T? Value, int Status, string? Title = null, string? Detail = null, IDictionary<string, FieldMessage[]>? Errors = null)
{
    public bool Succeeded => Value is not null && Status is >= 200 and < 300;

    public static Reply<T> Invalid(FieldErrors errors) => new(default, StatusCodes.Status400BadRequest, Errors: errors.ToDictionary());

    public static Reply<T> NotFound(string what) => new(default, StatusCodes.Status404NotFound, "Not found", what);

    public static Reply<T> Forbidden(string detail) => new(default, StatusCodes.Status403Forbidden, "Forbidden", detail);

    public static Reply<T> Conflict(string detail) => new(default, StatusCodes.Status409Conflict, "Conflict", detail);

    public static Reply<T> KeyReused() => new(default, StatusCodes.Status422UnprocessableEntity, "Idempotency key reused",
        $"This {Idempotency.Header} was already used with a different body; nothing was changed.");

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
            return TypedResults.Problem(statusCode: Status, title: Title, detail: Detail);
        }

        return Status == StatusCodes.Status201Created && location is not null
            ? TypedResults.Created(location(Value), Value)
            : TypedResults.Json(Value, statusCode: Status);
    }
}
