using CoopMarket.Gateway.Contracts;
using CoopMarket.Gateway.Localization;
using CoopMarket.Gateway.Security;
using CoopMarket.Grains.Market;
using CoopMarket.Grains.Participants;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CoopMarket.Gateway.Apis;

internal static class CooperativesApi
{
    public static IEndpointRouteBuilder MapCooperativesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/cooperatives").WithTags("Cooperatives").RequireAuthorization();
        api.MapPost("/", RegisterAsync).RequireAuthorization(SecuritySetup.AdminPolicy).Creates<CooperativeDto>()
            .WithName("RegisterCooperative").WithSummary("Registers a cooperative (HTX) or group (THT); the district office vouches for it. Answers its API key once.");
        api.MapGet("/", ListAsync).RequireAuthorization(SecuritySetup.AdminPolicy).Lists<CooperativeDto>().WithName("ListCooperatives").WithSummary("Registered cooperatives, newest first, a page at a time.");
        api.MapGet("/{id}", GetAsync).ProducesProblems(StatusCodes.Status404NotFound).WithName("GetCooperative").WithSummary("One cooperative: its own, or any for the administrator.");
        api.MapPost("/{id}/lots", PostLotAsync).WithReasonLanguage().Creates<LotPosted>().ProducesProblems(StatusCodes.Status404NotFound).WithName("PostLot").WithSummary("Posts a harvest lot; it matches resting requests at once.");
        api.MapGet("/{id}/lots", ListLotsAsync).Lists<LotDto>().ProducesProblems(StatusCodes.Status404NotFound).WithName("ListCooperativeLots").WithSummary("The cooperative's lots, newest first, a page at a time.");
        api.MapGet("/{id}/deals", ListDealsAsync).WithReasonLanguage().Lists<DealDto>().ProducesProblems(StatusCodes.Status404NotFound).WithName("ListCooperativeDeals").WithSummary("The deals made from the cooperative's lots, newest first, a page at a time.");
        api.MapGet("/{id}/auto-confirm", async (string id, Caller caller, AutoConfirmCommands commands) => (await commands.GetAsync(id, caller)).ToResult())
            .Produces<AutoConfirmDto>().ProducesProblems(StatusCodes.Status404NotFound).WithName("GetAutoConfirm")
            .WithSummary("The cooperative's auto-confirm rules: buyers and value chains whose deals are confirmed as the market makes them.");
        api.MapPut("/{id}/auto-confirm", async (string id, SetAutoConfirm body, Caller caller, AutoConfirmCommands commands) => (await commands.SetAsync(id, body, caller)).ToResult())
            .Produces<AutoConfirmDto>().ProducesProblems(StatusCodes.Status404NotFound).WithName("SetAutoConfirm")
            .WithSummary("Replaces the cooperative's auto-confirm rules; they apply to deals made after the change, never to a deal with an unverified buyer.");
        api.MapPost("/{id}/key", (string id, HttpRequest request, Caller caller, ParticipantCommands commands) =>
                Idempotency.WithKeyAsync(request, async key => (await commands.RotateKeyAsync(id, key, caller)).ToResult(k => $"/api/cooperatives/{k.ParticipantId}")))
            .Creates<ApiKeyIssued>().ProducesProblems(StatusCodes.Status404NotFound).WithName("RotateCooperativeKey").WithSummary("Issues a new API key; the old one stops working.");
        api.MapDelete("/{id}/key", async (string id, Caller caller, ParticipantCommands commands) =>
                (await commands.RevokeKeyAsync(id, caller)).ToResult())
            .Produces(StatusCodes.Status204NoContent).ProducesProblems(StatusCodes.Status404NotFound).WithName("RevokeCooperativeKey").WithSummary("Revokes the cooperative's API key.");
        return app;
    }

    private static Task<IResult> RegisterAsync(RegisterCooperative body, HttpRequest request, ParticipantCommands commands) =>
        Idempotency.WithKeyAsync(request, async key => (await commands.RegisterCooperativeAsync(body, key)).ToResult(c => $"/api/cooperatives/{c.Id}"));

    private static Task<IResult> ListAsync(PageQuery paging, IGrainFactory grains) =>
        paging.AnswerAsync(grains.GetGrain<IRegistryGrain>(IRegistryGrain.Cooperatives).ListAsync, id => FindAsync(grains, id));

    private static async Task<Results<Ok<CooperativeDto>, ProblemHttpResult>> GetAsync(string id, Caller caller, IGrainFactory grains) =>
        caller.MayAccess(id) && await FindAsync(grains, id) is { } cooperative ? TypedResults.Ok(cooperative) : NotFound(id);

    private static Task<IResult> PostLotAsync(string id, PostLot body, HttpRequest request, Caller caller, MarketCommands commands) =>
        Idempotency.WithKeyAsync(request, async key => (await commands.PostLotAsync(id, body, key, caller)).ToResult(l => $"/api/lots/{l.Id}"));

    private static Task<IResult> ListLotsAsync(string id, PageQuery paging, Caller caller, IGrainFactory grains)
    {
        var cooperative = grains.GetGrain<ICooperativeGrain>(id);
        return paging.AnswerOwnedAsync(cooperative, caller, NotFound(id), cooperative.GetLotIdsAsync,
            async lot => (await grains.GetGrain<ISupplyLotGrain>(lot).GetAsync())?.ToDto());
    }

    private static Task<IResult> ListDealsAsync(string id, PageQuery paging, Caller caller, IGrainFactory grains)
    {
        var cooperative = grains.GetGrain<ICooperativeGrain>(id);
        return paging.AnswerOwnedAsync(cooperative, caller, NotFound(id), cooperative.GetDealIdsAsync, deal => DealsApi.LoadAsync(grains, deal));
    }

    private static async Task<CooperativeDto?> FindAsync(IGrainFactory grains, string id)
    {
        var cooperative = grains.GetGrain<ICooperativeGrain>(id);
        return await cooperative.GetAsync() is { } profile ? profile.ToDto(await cooperative.GetChainsAsync()) : null;
    }

    private static ProblemHttpResult NotFound(string id) =>
        Missing.Problem(Missing.Cooperative, id);
}
