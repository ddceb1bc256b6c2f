using CoopMarket.Gateway.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace CoopMarket.Gateway.Apis;

/// <summary>The HTTP answers an endpoint can give besides its success, declared where the endpoint is mapped so the
/// OpenAPI document says what the code does.</summary>
/// <remarks>The answers every endpoint shares are derived in <see cref="DeclareSharedProblems"/> from the same metadata
/// the middleware obeys (authorization, accepted body, idempotency key, paging), not listed by hand per endpoint, so
/// the document cannot drift from the pipeline.</remarks>
internal static class ApiContract
{
    private static readonly string[] ProblemJson = ["application/problem+json"];

    /// <summary>Marks a POST whose <c>Idempotency-Key</c> header makes a retry safe (see <see cref="Idempotency"/>).</summary>
    public sealed class IdempotencyKeyMetadata;

    /// <summary>Marks a list answering <see cref="Page{T}"/> with the <c>limit</c>/<c>cursor</c> parameters of <see cref="PageQuery"/>.</summary>
    public sealed class PagedMetadata;

    public static RouteHandlerBuilder ProducesProblems(this RouteHandlerBuilder builder, params int[] statuses)
    {
        foreach (var status in statuses)
        {
            builder.ProducesProblem(status);
        }

        return builder;
    }

    /// <summary>A POST that creates <typeparamref name="T"/> (201 with a Location) and takes an idempotency key.</summary>
    public static RouteHandlerBuilder Creates<T>(this RouteHandlerBuilder builder) =>
        builder.Produces<T>(StatusCodes.Status201Created).WithMetadata(new IdempotencyKeyMetadata());

    /// <summary>A list answering one <see cref="Page{T}"/> of <typeparamref name="T"/> at a time.</summary>
    public static RouteHandlerBuilder Lists<T>(this RouteHandlerBuilder builder) => builder.Produces<Page<T>>();

    /// <summary>Declares, on every endpoint of <paramref name="api"/>, the problems the shared pipeline answers.</summary>
    public static TBuilder DeclareSharedProblems<TBuilder>(this TBuilder api)
        where TBuilder : IEndpointConventionBuilder
    {
        api.Finally(endpoint =>
        {
            var metadata = endpoint.Metadata;
            var anonymous = metadata.OfType<IAllowAnonymous>().Any();
            var authorize = metadata.OfType<IAuthorizeData>().ToList();
            var statuses = new SortedSet<int>();
            if (authorize.Count > 0 && !anonymous)
            {
                statuses.Add(StatusCodes.Status401Unauthorized);
                if (authorize.Any(a => a.Policy == SecuritySetup.AdminPolicy))
                {
                    statuses.Add(StatusCodes.Status403Forbidden);
                }
            }

            var bodyOrKey = metadata.OfType<IAcceptsMetadata>().Any() || metadata.OfType<IdempotencyKeyMetadata>().Any();
            if (metadata.OfType<IAcceptsMetadata>().Any())
            {
                statuses.Add(StatusCodes.Status413PayloadTooLarge);
            }

            if (metadata.OfType<IdempotencyKeyMetadata>().Any())
            {
                statuses.Add(StatusCodes.Status422UnprocessableEntity);
            }

            // The rate limiter and the cluster start-up gate stand in front of every endpoint.
            statuses.Add(StatusCodes.Status429TooManyRequests);
            statuses.Add(StatusCodes.Status503ServiceUnavailable);

            var declared = metadata.OfType<IProducesResponseTypeMetadata>().Select(p => p.StatusCode).ToHashSet();
            if ((bodyOrKey || metadata.OfType<PagedMetadata>().Any()) && !declared.Contains(StatusCodes.Status400BadRequest))
            {
                // Field errors, an unreadable body, a malformed key or paging parameter: one shape, errors when per field.
                metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status400BadRequest, typeof(HttpValidationProblemDetails), ProblemJson));
            }

            foreach (var status in statuses.Where(s => !declared.Contains(s)))
            {
                metadata.Add(new ProducesResponseTypeMetadata(status, typeof(ProblemDetails), ProblemJson));
            }
        });
        return api;
    }
}
