using CoopMarket.Gateway.Contracts;
using CoopMarket.Gateway.Localization;
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
        api.MapPost("/", RegisterAsync).AllowAnonymous().Creates<BuyerDto>()
            .WithMetadata(new RegistersBuyerAttribute()).WithName("RegisterBuyer").WithSummary("Registers a buyer, unverified unless the administrator registers it. Answers its API key once.");
        api.MapGet("/", ListAsync).RequireAuthorization(SecuritySetup.AdminPolicy).Lists<BuyerDto>().WithName("ListBuyers").WithSummary("Registered buyers, newest first, a page at a time.");
        api.MapGet("/{id}", GetAsync).ProducesProblems(StatusCodes.Status404NotFound).WithName("GetBuyer").WithSummary("One buyer: its own, or any for the administrator.");
        api.MapPost("/{id}/verify", (string id, HttpRequest request, Caller caller, ParticipantCommands commands) =>
                Idempotency.WithKeyAsync(request, async _ => (await commands.VerifyBuyerAsync(id, caller)).ToResult()))
            .Produces<BuyerDto>().WithMetadata(new ApiContract.IdempotencyKeyMetadata()).ProducesProblems(StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound)
            .WithName("VerifyBuyer").WithSummary("The district office vouches for a buyer, lifting the limits of self-registration.");
        api.MapPost("/{id}/requests", PlaceRequestAsync).WithReasonLanguage().Creates<RequestPlaced>()
            .ProducesProblems(StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound).WithName("PlaceRequest").WithSummary("Places a purchase request; it fills from open lots at once.");
        api.MapGet("/{id}/requests", ListRequestsAsync).Lists<RequestDto>().ProducesProblems(StatusCodes.Status404NotFound).WithName("ListBuyerRequests").WithSummary("The buyer's requests, newest first, a page at a time.");
        api.MapGet("/{id}/deals", ListDealsAsync).WithReasonLanguage().Lists<DealDto>().ProducesProblems(StatusCodes.Status404NotFound).WithName("ListBuyerDeals").WithSummary("The deals made for the buyer's requests, newest first, a page at a time.");
        api.MapPost("/{id}/key", (string id, HttpRequest request, Caller caller, ParticipantCommands commands) =>
                Idempotency.WithKeyAsync(request, async key => (await commands.RotateKeyAsync(id, key, caller)).ToResult(k => $"/api/buyers/{k.ParticipantId}")))
            .Creates<ApiKeyIssued>().ProducesProblems(StatusCodes.Status404NotFound).WithName("RotateBuyerKey").WithSummary("Issues a new API key; the old one stops working.");
        api.MapDelete("/{id}/key", async (string id, Caller caller, ParticipantCommands commands) =>
                (await commands.RevokeKeyAsync(id, caller)).ToResult())
            .Produces(StatusCodes.Status204NoContent).ProducesProblems(StatusCodes.Status404NotFound).WithName("RevokeBuyerKey").WithSummary("Revokes the buyer's API key.");
        return app;
    }

    private static Task<IResult> RegisterAsync(RegisterBuyer body, HttpRequest request, Caller caller, ParticipantCommands commands) =>
        Idempotency.WithKeyAsync(request, async key => (await commands.RegisterBuyerAsync(body, key, caller, ClientScope.Of(request.HttpContext))).ToResult(b => $"/api/buyers/{b.Id}"));

    private static Task<IResult> ListAsync(PageQuery paging, IGrainFactory grains) =>
        paging.AnswerAsync(grains.GetGrain<IRegistryGrain>(IRegistryGrain.Buyers).ListAsync,
            async id => (await grains.GetGrain<IBuyerGrain>(id).GetAsync())?.ToDto());

    private static async Task<Results<Ok<BuyerDto>, ProblemHttpResult>> GetAsync(string id, Caller caller, IGrainFactory grains) =>
        caller.MayAccess(id) && await grains.GetGrain<IBuyerGrain>(id).GetAsync() is { } buyer ? TypedResults.Ok(buyer.ToDto()) : NotFound(id);

    private static Task<IResult> PlaceRequestAsync(string id, PlaceRequest body, HttpRequest request, Caller caller, MarketCommands commands) =>
        Idempotency.WithKeyAsync(request, async key => (await commands.PlaceRequestAsync(id, body, key, caller)).ToResult(r => $"/api/requests/{r.Id}"));

    private static Task<IResult> ListRequestsAsync(string id, PageQuery paging, Caller caller, IGrainFactory grains)
    {
        var buyer = grains.GetGrain<IBuyerGrain>(id);
        return paging.AnswerOwnedAsync(buyer, caller, NotFound(id), buyer.GetRequestIdsAsync,
            async request => (await grains.GetGrain<IPurchaseRequestGrain>(request).GetAsync())?.ToDto());
    }

    private static Task<IResult> ListDealsAsync(string id, PageQuery paging, Caller caller, IGrainFactory grains)
    {
        var buyer = grains.GetGrain<IBuyerGrain>(id);
        return paging.AnswerOwnedAsync(buyer, caller, NotFound(id), buyer.GetDealIdsAsync, deal => DealsApi.LoadAsync(grains, deal));
    }

    private static ProblemHttpResult NotFound(string id) =>
        Missing.Problem(Missing.Buyer, id);
}
