using CoopMarket.Grains.Market;
using CoopMarket.Grains.Paging;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace CoopMarket.Grains.Participants;

internal sealed class BuyerGrain(
    [PersistentState("buyer")] IPersistentState<BuyerState> state,
    [FromKeyedServices("Default")] IGrainStorage storage) : Grain, IBuyerGrain
{
    private IdPageStore Pages => new(storage, $"buyer/{this.GetPrimaryKeyString()}");

    async Task<CommandResult<BuyerProfile>> IBuyerGrain.RegisterAsync(BuyerProfile profile, string bodyHash, string keyHash)
    {
        var enrolment = state.State.Enrolment;
        if (enrolment.AnswerRetry(bodyHash) is not { } answer)
        {
            enrolment = enrolment.Register(profile, bodyHash, keyHash);
            await state.WriteAsync(state.State with { Enrolment = enrolment }, this);
            answer = new(CommandOutcome.Done, profile);
        }

        if (answer.Outcome != CommandOutcome.KeyReused && !enrolment.Listed)
        {
            await GrainFactory.GetGrain<IRegistryGrain>(IRegistryGrain.Buyers).AddAsync(profile.Id);
            await state.WriteAsync(state.State with { Enrolment = enrolment with { Listed = true } }, this);
        }

        return answer;
    }

    Task<BuyerProfile?> IBuyerGrain.GetAsync() => Task.FromResult(state.State.Enrolment.Profile);

    Task<Credential?> IBuyerGrain.GetCredentialAsync() =>
        Task.FromResult(state.State.Enrolment.Profile is null ? null : new Credential(state.State.Enrolment.KeyHash, state.State.Enrolment.Profile.Verified));

    async Task<bool> IBuyerGrain.ReplaceKeyAsync(string? keyHash, string? idempotencyKey)
    {
        if (state.State.Enrolment.Profile is null)
        {
            return false;
        }

        if (state.State.Enrolment.ReplaceKey(keyHash, idempotencyKey) is { } replaced)
        {
            await state.WriteAsync(state.State with { Enrolment = replaced }, this);
        }

        return true;
    }

    async Task<BuyerProfile?> IBuyerGrain.VerifyAsync()
    {
        if (state.State.Enrolment.Profile is { Verified: false } profile)
        {
            await state.WriteAsync(state.State with { Enrolment = state.State.Enrolment with { Profile = profile with { Verified = true } } }, this);
        }

        return state.State.Enrolment.Profile;
    }

    Task<IdPage> IBuyerGrain.GetRequestIdsAsync(PageRequest page) => Pages.ReadAsync(MarketIndexes.PostsIndex, state.State.Indexes.Posts, page);

    Task<IdPage> IBuyerGrain.GetDealIdsAsync(PageRequest page) => Pages.ReadAsync(MarketIndexes.DealsIndex, state.State.Indexes.Deals, page);

    async Task IBuyerGrain.IndexAsync(string product, long entry, IReadOnlyList<string> requestIds, IReadOnlyList<string> dealIds)
    {
        if (await state.State.Indexes.AddAsync(Pages, product, entry, requestIds, dealIds) is { } indexes)
        {
            await state.WriteAsync(state.State with { Indexes = indexes }, this);
        }
    }
}
