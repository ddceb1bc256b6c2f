using CoopMarket.Grains.Market;

namespace CoopMarket.Grains.Participants;

internal sealed class ValueChainGrain(
    [PersistentState("value-chain")] IPersistentState<ValueChainState> state) : Grain, IValueChainGrain
{
    async Task<CommandResult<ValueChain>> IValueChainGrain.CreateAsync(ValueChain chain, string bodyHash)
    {
        if (state.State.Chain is { } existing)
        {
            return state.State.BodyHash == bodyHash
                ? new(CommandOutcome.Replayed, existing)
                : new(CommandOutcome.KeyReused, null);
        }

        state.State.Chain = chain;
        state.State.BodyHash = bodyHash;
        await state.WriteStateAsync();
        await GrainFactory.GetGrain<IRegistryGrain>(IRegistryGrain.ValueChains).AddAsync(chain.Id);
        return new(CommandOutcome.Done, chain);
    }

    Task<ValueChain?> IValueChainGrain.GetAsync() => Task.FromResult(state.State.Chain);

    async Task<CommandResult<ValueChain>> IValueChainGrain.AddMemberAsync(ChainMember member, string? idempotencyKey, string bodyHash)
    {
        var chain = state.State.Chain ?? throw new InvalidOperationException("The value chain does not exist.");
        if (idempotencyKey is not null && state.State.MemberKeys.TryGetValue(idempotencyKey, out var seen))
        {
            return seen == bodyHash ? new(CommandOutcome.Replayed, chain) : new(CommandOutcome.KeyReused, null);
        }

        if (idempotencyKey is not null)
        {
            state.State.MemberKeys[idempotencyKey] = bodyHash;
        }

        // The chain records the member first: if telling the cooperative fails, adding the member again repairs it.
        state.State.Chain = chain with { Members = [.. chain.Members.Where(m => m.CooperativeId != member.CooperativeId), member] };
        await state.WriteStateAsync();
        await GrainFactory.GetGrain<ICooperativeGrain>(member.CooperativeId)
            .JoinChainAsync(new ChainMembership(chain.Id, chain.Products, member.Role));
        return new(CommandOutcome.Done, state.State.Chain);
    }
}
