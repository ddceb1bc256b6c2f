using CoopMarket.Gateway.Contracts;
using CoopMarket.Gateway.Security;
using CoopMarket.Grains.Catalog;
using CoopMarket.Grains.Market;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CoopMarket.Gateway.Apis;

internal static class DealsApi
{
    public static IEndpointRouteBuilder MapDealsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/deals/{id}", GetAsync).WithTags("Deals").RequireAuthorization().ProducesProblems(StatusCodes.Status404NotFound).WithName("GetDeal").WithSummary("One deal and why it was made.");
        app.MapGet("/api/markets/{product}", GetMarketAsync).WithTags("Markets").ProducesProblems(StatusCodes.Status404NotFound).WithName("GetMarket")
            .WithSummary("Open supply and demand by grade and price band, and recent deal prices; no participant is named.");
        return app;
    }

    public static async Task<DealDto?> LoadAsync(IGrainFactory grains, string id) => (await grains.GetGrain<IDealGrain>(id).GetAsync())?.ToDto();

    private static async Task<Results<Ok<DealDto>, ProblemHttpResult>> GetAsync(string id, Caller caller, IGrainFactory grains) =>
        await grains.GetGrain<IDealGrain>(id).GetAsync() is { } deal
            && (caller.MayAccess(deal.CooperativeId) || caller.MayAccess(deal.BuyerId))
            ? TypedResults.Ok(deal.ToDto())
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"No deal has the id '{id}'.");

    private static async Task<Results<Ok<MarketDto>, ProblemHttpResult>> GetMarketAsync(string product, IGrainFactory grains) =>
        await grains.GetGrain<IProductGrain>(product).GetAsync() is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown product", detail: $"No product has the code '{product}'.")
            : TypedResults.Ok((await grains.GetGrain<IMarketGrain>(product).GetSummaryAsync()).ToDto());
}
