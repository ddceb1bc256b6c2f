using CoopMarket.Grains.Market;

namespace CoopMarket.Grains.Participants;

internal sealed class ValueChainGrain(
    [PersistentState("value-chain")] IPersistentState<ValueChainState> state) : Grain, IValueChainGrain
{
    async Task<CommandResult<ValueChain>> IValueChainGrain.CreateAsync(ValueChain chain, string bodyHash)
    {
        CommandResult<ValueChain> answer;
        if (state.State.Chain is { } existing)
        {
            answer = state.State.BodyHash == bodyHash ? new(CommandOutcome.Replayed, existing) : new(CommandOutcome.KeyReused, null);
        }
        else
        {
            await state.WriteAsync(state.State with { Chain = chain, BodyHash = bodyHash }, this);
            answer = new(CommandOutcome.Done, chain);
        }

        if (answer.Outcome != CommandOutcome.KeyReused && !state.State.Listed)
        {
            await GrainFactory.GetGrain<IRegistryGrain>(IRegistryGrain.ValueChains).AddAsync(chain.Id);
            await state.WriteAsync(state.State with { Listed = true }, this);
        }

        return answer;
    }

    Task<ValueChain?> IValueChainGrain.GetAsync() => Task.FromResult(state.State.Chain);

    async Task<CommandResult<ValueChain>> IValueChainGrain.AddMemberAsync(ChainMember member, string? idempotencyKey, string bodyHash)
    {
        var chain = state.State.Chain ?? throw new InvalidOperationException("The value chain does not exist.");
        if (idempotencyKey is not null && state.State.MemberKeys.TryGetValue(idempotencyKey, out var seen))
        {
            if (seen != bodyHash)
            {
                return new(CommandOutcome.KeyReused, null);
            }

            // The first attempt may have stored the member and failed to tell the cooperative: telling it again repairs that.
            await JoinAsync(chain, member);
            return new(CommandOutcome.Replayed, chain);
        }

        // The chain records the member first: if telling the cooperative fails, adding the member again repairs it.
        var keys = idempotencyKey is null
            ? state.State.MemberKeys
            : new Dictionary<string, string>(state.State.MemberKeys, StringComparer.Ordinal) { [idempotencyKey] = bodyHash };
        var updated = chain with { Members = [.. chain.Members.Where(m => m.CooperativeId != member.CooperativeId), member] };
        await state.WriteAsync(state.State with { Chain = updated, MemberKeys = keys }, this);
        await JoinAsync(updated, member);
        return new(CommandOutcome.Done, updated);
    }

    private Task JoinAsync(ValueChain chain, ChainMember member) =>
        GrainFactory.GetGrain<ICooperativeGrain>(member.CooperativeId).JoinChainAsync(new ChainMembership(chain.Id, chain.Products, member.Role));
}
