using CoopMarket.Gateway.Contracts;
using CoopMarket.Gateway.Localization;
using CoopMarket.Gateway.Security;
using CoopMarket.Grains.Market;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CoopMarket.Gateway.Apis;

internal static class LotsApi
{
    public static IEndpointRouteBuilder MapLotsApi(this IEndpointRouteBuilder app)
    {
        var lots = app.MapGroup("/api/lots").WithTags("Lots").RequireAuthorization();
        lots.MapGet("/{id}", GetLotAsync).ProducesProblems(StatusCodes.Status404NotFound).WithName("GetLot").WithSummary("One lot, with what is left of it.");
        lots.MapGet("/{id}/deals", ListLotDealsAsync).WithReasonLanguage().Lists<DealDto>().ProducesProblems(StatusCodes.Status404NotFound).WithName("ListLotDeals").WithSummary("The deals made from one lot, newest first, a page at a time.");
        lots.MapDelete("/{id}", async (string id, Caller caller, MarketCommands commands) => (await commands.WithdrawLotAsync(id, caller)).ToResult())
            .Produces<LotDto>().ProducesProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict).WithName("WithdrawLot").WithSummary("Withdraws the unsold rest of a lot; deals already made stand.");
        lots.MapPost("/{id}/shortfall", (string id, ReportShortfall body, HttpRequest request, Caller caller, MarketCommands commands) =>
                Idempotency.WithKeyAsync(request, async key => (await commands.ReportShortfallAsync(id, body, key, caller)).ToResult()))
            .Produces<LotDto>().WithMetadata(new ApiContract.IdempotencyKeyMetadata())
            .ProducesProblems(StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict).WithName("ReportLotShortfall")
            .WithSummary("The cooperative reports that a lot holds less than it posted: its unsold rest shrinks first, then its deals not yet shipped, newest first; each request that lost kilograms is sourced again at once, its value chain first.");

        var requests = app.MapGroup("/api/requests").WithTags("Requests").RequireAuthorization();
        requests.MapGet("/{id}", GetRequestAsync).ProducesProblems(StatusCodes.Status404NotFound).WithName("GetRequest").WithSummary("One purchase request, with what is filled.");
        requests.MapGet("/{id}/deals", ListRequestDealsAsync).WithReasonLanguage().Lists<DealDto>().ProducesProblems(StatusCodes.Status404NotFound).WithName("ListRequestDeals").WithSummary("The deals made for one request, newest first, a page at a time.");
        requests.MapDelete("/{id}", async (string id, Caller caller, MarketCommands commands) => (await commands.CancelRequestAsync(id, caller)).ToResult())
            .Produces<RequestDto>().ProducesProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict).WithName("CancelRequest").WithSummary("Cancels the unfilled rest of a request; deals already made stand.");
        return app;
    }

    private static async Task<Results<Ok<LotDto>, ProblemHttpResult>> GetLotAsync(string id, Caller caller, IGrainFactory grains) =>
        await grains.GetGrain<ISupplyLotGrain>(id).GetAsync() is { } lot && caller.MayAccess(lot.Terms.CooperativeId)
            ? TypedResults.Ok(lot.ToDto())
            : Missing.Problem(Missing.Lot, id);

    private static async Task<Results<Ok<RequestDto>, ProblemHttpResult>> GetRequestAsync(string id, Caller caller, IGrainFactory grains) =>
        await grains.GetGrain<IPurchaseRequestGrain>(id).GetAsync() is { } request && caller.MayAccess(request.Terms.BuyerId)
            ? TypedResults.Ok(request.ToDto())
            : Missing.Problem(Missing.Request, id);

    private static async Task<IResult> ListLotDealsAsync(string id, PageQuery paging, Caller caller, IGrainFactory grains)
    {
        var lot = grains.GetGrain<ISupplyLotGrain>(id);
        return await lot.GetAsync() is { } view && caller.MayAccess(view.Terms.CooperativeId)
            ? await paging.AnswerAsync(lot.GetDealIdsAsync, deal => DealsApi.LoadAsync(grains, deal))
            : Missing.Problem(Missing.Lot, id);
    }

    private static async Task<IResult> ListRequestDealsAsync(string id, PageQuery paging, Caller caller, IGrainFactory grains)
    {
        var request = grains.GetGrain<IPurchaseRequestGrain>(id);
        return await request.GetAsync() is { } view && caller.MayAccess(view.Terms.BuyerId)
            ? await paging.AnswerAsync(request.GetDealIdsAsync, deal => DealsApi.LoadAsync(grains, deal))
            : Missing.Problem(Missing.Request, id);
    }
}
