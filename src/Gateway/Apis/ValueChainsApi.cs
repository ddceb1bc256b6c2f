using CoopMarket.Gateway.Contracts;
using CoopMarket.Gateway.Security;
using CoopMarket.Grains.Participants;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CoopMarket.Gateway.Apis;

internal static class ValueChainsApi
{
    public static IEndpointRouteBuilder MapValueChainsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/value-chains").WithTags("Value chains").RequireAuthorization();
        api.MapPost("/", CreateAsync).RequireAuthorization(SecuritySetup.AdminPolicy).Creates<ValueChainDto>().WithName("CreateValueChain").WithSummary("Creates a value chain with its allocation policy.");
        api.MapPost("/{id}/members", (string id, AddChainMember body, HttpRequest request, ValueChainCommands commands) =>
                Idempotency.WithKeyAsync(request, async key => (await commands.AddChainMemberAsync(id, body, key)).ToResult(c => $"/api/value-chains/{c.Id}")))
            .RequireAuthorization(SecuritySetup.AdminPolicy).Creates<ValueChainDto>().ProducesProblems(StatusCodes.Status404NotFound).WithName("AddValueChainMember").WithSummary("Adds a cooperative to a value chain; its later lots belong to the chain.");
        api.MapGet("/", ListAsync).Lists<ValueChainDto>().WithName("ListValueChains").WithSummary("Value chains, newest first, a page at a time.");
        api.MapGet("/{id}", GetAsync).ProducesProblems(StatusCodes.Status404NotFound).WithName("GetValueChain").WithSummary("One value chain and its members.");
        return app;
    }

    private static Task<IResult> CreateAsync(CreateValueChain body, HttpRequest request, ValueChainCommands commands) =>
        Idempotency.WithKeyAsync(request, async key => (await commands.CreateValueChainAsync(body, key)).ToResult(c => $"/api/value-chains/{c.Id}"));

    private static Task<IResult> ListAsync(PageQuery paging, IGrainFactory grains) =>
        paging.AnswerAsync(grains.GetGrain<IRegistryGrain>(IRegistryGrain.ValueChains).ListAsync,
            async id => (await grains.GetGrain<IValueChainGrain>(id).GetAsync())?.ToDto());

    private static async Task<Results<Ok<ValueChainDto>, ProblemHttpResult>> GetAsync(string id, IGrainFactory grains) =>
        await grains.GetGrain<IValueChainGrain>(id).GetAsync() is { } chain
            ? TypedResults.Ok(chain.ToDto())
            : Missing.Problem(Missing.ValueChain, id);
}
