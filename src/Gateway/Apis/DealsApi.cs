using CoopMarket.Gateway.Contracts;
using CoopMarket.Gateway.Localization;
using CoopMarket.Gateway.Security;
using CoopMarket.Grains.Catalog;
using CoopMarket.Grains.Market;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CoopMarket.Gateway.Apis;

internal static class DealsApi
{
    public static IEndpointRouteBuilder MapDealsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/deals/{id}", GetAsync).WithReasonLanguage().WithTags("Deals").RequireAuthorization().ProducesProblems(StatusCodes.Status404NotFound).WithName("GetDeal").WithSummary("One deal and why it was made.");
        app.MapGet("/api/markets/{product}", GetMarketAsync).WithTags("Markets").ProducesProblems(StatusCodes.Status404NotFound).WithName("GetMarket")
            .WithSummary("Open supply and demand by grade and price band, and recent deal prices; no participant is named.");

        var deals = app.MapGroup("/api/deals/{id}").WithTags("Deals").RequireAuthorization().WithReasonLanguage();
        deals.MapPost("/confirm", (string id, HttpRequest request, Caller caller, DealSteps steps) => StepAsync(request, key => steps.TakeAsync(id, DealStep.Confirm, key, caller)))
            .Steps().WithName("ConfirmDeal").WithSummary("The cooperative accepts a proposed deal.");
        deals.MapPost("/reject", (string id, HttpRequest request, Caller caller, DealSteps steps) => StepAsync(request, key => steps.TakeAsync(id, DealStep.Reject, key, caller)))
            .Steps().WithName("RejectDeal").WithSummary("The cooperative refuses a proposed deal; its kilograms go back to the lot and the request, which is sourced again at once.");
        deals.MapPost("/ship", (string id, HttpRequest request, Caller caller, DealSteps steps) => StepAsync(request, key => steps.TakeAsync(id, DealStep.Ship, key, caller)))
            .Steps().WithName("ShipDeal").WithSummary("The cooperative records dispatch of a confirmed deal; the deal gets its traceability code.");
        deals.MapPost("/deliver", (string id, RecordDelivery body, HttpRequest request, Caller caller, DealSteps steps) => StepAsync(request, key => steps.DeliverAsync(id, body, key, caller)))
            .Steps().WithName("DeliverDeal").WithSummary("The buyer records the kilograms received of a shipped deal.");
        deals.MapPost("/settle", (string id, RecordSettlement body, HttpRequest request, Caller caller, DealSteps steps) => StepAsync(request, key => steps.SettleAsync(id, body, key, caller)))
            .Steps().WithName("SettleDeal").WithSummary("The buyer records payment of a delivered deal.");
        deals.MapPost("/cancel", (string id, HttpRequest request, Caller caller, DealSteps steps) => StepAsync(request, key => steps.TakeAsync(id, DealStep.Cancel, key, caller)))
            .Steps().WithName("CancelDeal").WithSummary("Either side calls off a deal before shipping; its kilograms go back to the lot and the request, which is sourced again at once.");
        return app;
    }

    public static async Task<DealDto?> LoadAsync(IGrainFactory grains, string id) => (await grains.GetGrain<IDealGrain>(id).GetAsync())?.ToDto();

    /// <summary>A step on a deal: answers the deal in its new status, takes an idempotency key, and refuses a step from
    /// the wrong side (403) or from a status that does not allow it (409).</summary>
    private static RouteHandlerBuilder Steps(this RouteHandlerBuilder builder) => builder
        .Produces<DealDto>().WithMetadata(new ApiContract.IdempotencyKeyMetadata())
        .ProducesProblems(StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);

    private static Task<IResult> StepAsync(HttpRequest request, Func<string?, Task<Reply<DealDto>>> step) =>
        Idempotency.WithKeyAsync(request, async key => (await step(key)).ToResult());

    private static async Task<Results<Ok<DealDto>, ProblemHttpResult>> GetAsync(string id, Caller caller, IGrainFactory grains) =>
        await grains.GetGrain<IDealGrain>(id).GetAsync() is { } deal
            && caller.MayAccessDeal(deal.CooperativeId, deal.BuyerId)
            ? TypedResults.Ok(deal.ToDto())
            : Missing.Problem(Missing.Deal, id);

    private static async Task<Results<Ok<MarketDto>, ProblemHttpResult>> GetMarketAsync(string product, IGrainFactory grains) =>
        await grains.GetGrain<IProductGrain>(product).GetAsync() is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown product", detail: $"No product has the code '{product}'.")
            : TypedResults.Ok((await grains.GetGrain<IMarketGrain>(product).GetSummaryAsync()).ToDto());
}
