using System.Security.Claims;
using CoopMarket.Gateway.Contracts;
using CoopMarket.Gateway.Security;
using CoopMarket.Grains.Market;
using CoopMarket.Grains.Participants;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CoopMarket.Gateway.Apis;

internal static class BuyersApi
{
    public static IEndpointRouteBuilder MapBuyersApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/buyers").WithTags("Buyers").RequireAuthorization();
        api.MapPost("/", RegisterAsync).AllowAnonymous()
            .WithName("RegisterBuyer").WithSummary("Registers a buyer, unverified unless the administrator registers it. Answers its API key once.");
        api.MapGet("/", ListAsync).RequireAuthorization(SecuritySetup.AdminPolicy).WithName("ListBuyers").WithSummary("Every registered buyer.");
        api.MapGet("/{id}", GetAsync).WithName("GetBuyer").WithSummary("One buyer: its own, or any for the administrator.");
        api.MapPost("/{id}/verify", async (string id, ClaimsPrincipal user, MarketCommands commands) =>
                (await commands.VerifyBuyerAsync(id, Caller.From(user))).ToResult())
            .WithName("VerifyBuyer").WithSummary("The district office vouches for a buyer, lifting the limits of self-registration.");
        api.MapPost("/{id}/requests", PlaceRequestAsync).WithName("PlaceRequest").WithSummary("Places a purchase request; it fills from open lots at once.");
        api.MapGet("/{id}/requests", ListRequestsAsync).WithName("ListBuyerRequests").WithSummary("The buyer's requests, oldest first.");
        api.MapGet("/{id}/deals", ListDealsAsync).WithName("ListBuyerDeals").WithSummary("The deals made for the buyer's requests.");
        api.MapPost("/{id}/key", (string id, HttpRequest request, ClaimsPrincipal user, MarketCommands commands) =>
                Idempotency.WithKeyAsync(request, async key => (await commands.RotateKeyAsync(id, key, Caller.From(user))).ToResult(k => $"/api/buyers/{k.ParticipantId}")))
            .WithName("RotateBuyerKey").WithSummary("Issues a new API key; the old one stops working.");
        api.MapDelete("/{id}/key", async (string id, ClaimsPrincipal user, MarketCommands commands) =>
                (await commands.RevokeKeyAsync(id, Caller.From(user))).ToResult())
            .WithName("RevokeBuyerKey").WithSummary("Revokes the buyer's API key.");
        return app;
    }

    private static Task<IResult> RegisterAsync(RegisterBuyer body, HttpRequest request, ClaimsPrincipal user, MarketCommands commands) =>
        Idempotency.WithKeyAsync(request, async key => (await commands.RegisterBuyerAsync(body, key, Caller.From(user))).ToResult(b => $"/api/buyers/{b.Id}"));

    private static async Task<Ok<BuyerDto[]>> ListAsync(IGrainFactory grains)
    {
        var ids = await grains.GetGrain<IRegistryGrain>(IRegistryGrain.Buyers).ListAsync();
        var buyers = await Task.WhenAll(ids.Select(id => grains.GetGrain<IBuyerGrain>(id).GetAsync()));
        return TypedResults.Ok(buyers.OfType<BuyerProfile>().Select(b => b.ToDto()).ToArray());
    }

    private static async Task<Results<Ok<BuyerDto>, ProblemHttpResult>> GetAsync(string id, ClaimsPrincipal user, IGrainFactory grains) =>
        Caller.From(user).MayAccess(id) && await grains.GetGrain<IBuyerGrain>(id).GetAsync() is { } buyer ? TypedResults.Ok(buyer.ToDto()) : NotFound(id);

    private static Task<IResult> PlaceRequestAsync(string id, PlaceRequest body, HttpRequest request, ClaimsPrincipal user, MarketCommands commands) =>
        Idempotency.WithKeyAsync(request, async key => (await commands.PlaceRequestAsync(id, body, key, Caller.From(user))).ToResult(r => $"/api/requests/{r.Id}"));

    private static async Task<Results<Ok<RequestDto[]>, ProblemHttpResult>> ListRequestsAsync(string id, ClaimsPrincipal user, IGrainFactory grains)
    {
        var buyer = grains.GetGrain<IBuyerGrain>(id);
        if (!Caller.From(user).MayAccess(id) || await buyer.GetAsync() is null)
        {
            return NotFound(id);
        }

        var requests = await Task.WhenAll((await buyer.GetRequestIdsAsync()).Select(r => grains.GetGrain<IPurchaseRequestGrain>(r).GetAsync()));
        return TypedResults.Ok(requests.OfType<RequestView>().Select(r => r.ToDto()).ToArray());
    }

    private static async Task<Results<Ok<DealDto[]>, ProblemHttpResult>> ListDealsAsync(string id, ClaimsPrincipal user, IGrainFactory grains)
    {
        var buyer = grains.GetGrain<IBuyerGrain>(id);
        return !Caller.From(user).MayAccess(id) || await buyer.GetAsync() is null
            ? NotFound(id)
            : TypedResults.Ok(await DealsApi.LoadAsync(grains, await buyer.GetDealIdsAsync()));
    }

    private static ProblemHttpResult NotFound(string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"No buyer has the id '{id}'.");
}
