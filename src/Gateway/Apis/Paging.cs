using System.Globalization;
using Microsoft.AspNetCore.Http.Metadata;
using CoopMarket.Gateway.Security;
using CoopMarket.Grains.Paging;
using CoopMarket.Grains.Participants;

namespace CoopMarket.Gateway.Apis;

/// <summary>One page of a list, newest first; <c>nextCursor</c> fetches the next (older) page, and is null on the last.</summary>
/// <param name="Items">The page's items, newest first.</param>
/// <param name="NextCursor">The <c>cursor</c> for the next (older) page; null on the last page.</param>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);

/// <summary>The <c>limit</c> (1–500, default 50) and <c>cursor</c> query parameters of every list, bound once.</summary>
/// <remarks>A cursor is a position in an append-only index, so a page stays stable however much is added after it.</remarks>
internal sealed record PageQuery(PageRequest? Request, string? Error) : IEndpointParameterMetadataProvider
{
    /// <summary>The framework cannot see the query parameters a binder reads: say so for the API document.</summary>
    public static void PopulateMetadata(System.Reflection.ParameterInfo parameter, EndpointBuilder builder) =>
        builder.Metadata.Add(new ApiContract.PagedMetadata());

    public static ValueTask<PageQuery> BindAsync(HttpContext context)
    {
        var query = context.Request.Query;
        var limit = PageRequest.DefaultLimit;
        if (query.TryGetValue("limit", out var limitText)
            && (!int.TryParse(limitText.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > PageRequest.MaxLimit))
        {
            return ValueTask.FromResult(new PageQuery(null, $"limit must be a whole number from 1 to {PageRequest.MaxLimit}."));
        }

        long? before = null;
        if (query.TryGetValue("cursor", out var cursorText))
        {
            if (Cursor(cursorText.ToString()) is not { } position)
            {
                return ValueTask.FromResult(new PageQuery(null, "cursor must be a nextCursor this API answered."));
            }

            before = position;
        }

        return ValueTask.FromResult(new PageQuery(new PageRequest(limit, before), null));
    }

    /// <summary>Loads the records of one page of ids, keeping the index's order; an id whose record is not readable
    /// yet (its market is still projecting it) is left out rather than failing the page.</summary>
    public async Task<IResult> AnswerAsync<T>(Func<PageRequest, Task<IdPage>> ids, Func<string, Task<T?>> load)
        where T : class
    {
        if (Request is not { } request)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid paging", detail: Error);
        }

        var (items, next) = await LoadAsync(ids, request, load);
        return TypedResults.Ok(new Page<T>(items, next));
    }

    /// <summary>The position a <c>nextCursor</c> names; null for text that is not one.</summary>
    public static long? Cursor(string? text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var position) && position >= 1 ? position : null;

    /// <summary>The records of one page of ids, in the index's order, and the next page's cursor, shared by the API's
    /// lists and the web app's; a record not readable yet (its market is still projecting it) is left out rather than
    /// failing the page.</summary>
    public static async Task<(IReadOnlyList<T> Items, string? NextCursor)> LoadAsync<T>(Func<PageRequest, Task<IdPage>> ids, PageRequest request,
        Func<string, Task<T?>> load)
        where T : class
    {
        var page = await ids(request);
        var items = await Task.WhenAll(page.Ids.Select(load));
        return ([.. items.OfType<T>()], page.Next?.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>A page of one of a participant's own lists: its owner and the administrator see it, and to anyone else
    /// the participant does not exist (<paramref name="notFound"/>).</summary>
    public async Task<IResult> AnswerOwnedAsync<TProfile, T>(IParticipantGrain<TProfile> owner, Caller caller, IResult notFound,
        Func<PageRequest, Task<IdPage>> ids, Func<string, Task<T?>> load)
        where TProfile : class
        where T : class =>
        !caller.MayAccess(owner.GetPrimaryKeyString()) || await owner.GetAsync() is null ? notFound : await AnswerAsync(ids, load);
}
