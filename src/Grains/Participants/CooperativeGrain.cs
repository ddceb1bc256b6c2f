using CoopMarket.Grains.Paging;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace CoopMarket.Grains.Participants;

internal sealed class CooperativeGrain(
    [PersistentState("cooperative")] IPersistentState<CooperativeState> state,
    [FromKeyedServices("Default")] IGrainStorage storage)
    : ParticipantGrain<CooperativeProfile, CooperativeState>(state, storage, IRegistryGrain.Cooperatives, "cooperative"), ICooperativeGrain
{
    /// <summary>The district office vouches for every cooperative it registers.</summary>
    protected override bool IsVerified(CooperativeProfile profile) => true;

    protected override IReadOnlyList<ChainMembership> Chains => State.State.Chains;

    Task<IReadOnlyList<ChainMembership>> ICooperativeGrain.GetChainsAsync() => Task.FromResult(Chains);

    async Task ICooperativeGrain.JoinChainAsync(ChainMembership membership)
    {
        if (!State.State.Chains.Contains(membership))
        {
            await State.WriteAsync(State.State with
            {
                Chains = [.. State.State.Chains.Where(c => c.ValueChainId != membership.ValueChainId), membership],
            }, this);
        }
    }

    Task<IdPage> ICooperativeGrain.GetLotIdsAsync(PageRequest page) => GetPostIdsAsync(page);

    Task<IReadOnlyList<string>> ICooperativeGrain.GetProductsAsync() => Task.FromResult<IReadOnlyList<string>>([.. State.State.Indexes.IndexedThrough.Keys]);
}
