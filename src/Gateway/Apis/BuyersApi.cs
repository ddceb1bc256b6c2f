using CoopMarket.Gateway.Contracts;
using CoopMarket.Grains.Market;
using CoopMarket.Grains.Participants;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CoopMarket.Gateway.Apis;

internal static class BuyersApi
{
    public static IEndpointRouteBuilder MapBuyersApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/buyers").WithTags("Buyers");
        api.MapPost("/", RegisterAsync).WithName("RegisterBuyer").WithSummary("Registers a buyer.");
        api.MapGet("/{id}", GetAsync).WithName("GetBuyer").WithSummary("One buyer.");
        api.MapPost("/{id}/requests", PlaceRequestAsync).WithName("PlaceRequest").WithSummary("Places a purchase request; it fills from open lots at once.");
        api.MapGet("/{id}/requests", ListRequestsAsync).WithName("ListBuyerRequests").WithSummary("The buyer's requests, oldest first.");
        api.MapGet("/{id}/deals", ListDealsAsync).WithName("ListBuyerDeals").WithSummary("The deals made for the buyer's requests.");
        return app;
    }

    private static Task<IResult> RegisterAsync(RegisterBuyer body, HttpRequest request, MarketCommands commands) =>
        Idempotency.WithKeyAsync(request, async key => (await commands.RegisterBuyerAsync(body, key)).ToResult(b => $"/api/buyers/{b.Id}"));

    private static async Task<Results<Ok<BuyerDto>, ProblemHttpResult>> GetAsync(string id, IGrainFactory grains) =>
        await grains.GetGrain<IBuyerGrain>(id).GetAsync() is { } buyer ? TypedResults.Ok(buyer.ToDto()) : NotFound(id);

    private static Task<IResult> PlaceRequestAsync(string id, PlaceRequest body, HttpRequest request, MarketCommands commands) =>
        Idempotency.WithKeyAsync(request, async key => (await commands.PlaceRequestAsync(id, body, key)).ToResult(r => $"/api/requests/{r.Id}"));

    private static async Task<Results<Ok<RequestDto[]>, ProblemHttpResult>> ListRequestsAsync(string id, IGrainFactory grains)
    {
        var buyer = grains.GetGrain<IBuyerGrain>(id);
        if (await buyer.GetAsync() is null)
        {
            return NotFound(id);
        }

        var requests = await Task.WhenAll((await buyer.GetRequestIdsAsync()).Select(r => grains.GetGrain<IPurchaseRequestGrain>(r).GetAsync()));
        return TypedResults.Ok(requests.OfType<RequestView>().Select(r => r.ToDto()).ToArray());
    }

    private static async Task<Results<Ok<DealDto[]>, ProblemHttpResult>> ListDealsAsync(string id, IGrainFactory grains)
    {
        var buyer = grains.GetGrain<IBuyerGrain>(id);
        return await buyer.GetAsync() is null
            ? NotFound(id)
            : TypedResults.Ok(await DealsApi.LoadAsync(grains, await buyer.GetDealIdsAsync()));
    }

    private static ProblemHttpResult NotFound(string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"No buyer has the id '{id}'.");
}
