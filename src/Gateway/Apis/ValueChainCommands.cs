using CoopMarket.Gateway.Contracts;
using CoopMarket.Gateway.Validation;
using CoopMarket.Grains;
using CoopMarket.Grains.Market;
using CoopMarket.Grains.Participants;
using CoopMarket.Matching;

namespace CoopMarket.Gateway.Apis;

/// <summary>Value chains: created by the district office, joined by cooperatives.</summary>
internal sealed class ValueChainCommands(IGrainFactory grains, KnownProducts catalog, [FromKeyedServices(MarketTime.ServiceKey)] TimeProvider clock)
{
    private static readonly string[] Roles = ["producer", "aggregator", "processor", "distributor"];

    private DateOnly Today => clock.Today();

    public async Task<Reply<ValueChainDto>> CreateValueChainAsync(CreateValueChain body, string? key)
    {
        var errors = new FieldErrors(Today);
        var name = errors.Text("name", body.Name, FieldErrors.NameLength);
        var products = await catalog.CheckAllAsync(errors, "products", body.Products);
        var policy = errors.OneOf("policy", body.Policy, Vocabulary.PolicyValues, fallback: AllocationPolicy.PriceTime);
        if (policy == AllocationPolicy.Capped && body.CapShare is not (> 0 and <= 1))
        {
            errors.Add("capShare", "A Capped chain needs a cap share of more than 0 and at most 1.");
        }
        else if (policy != AllocationPolicy.Capped && body.CapShare is not null)
        {
            errors.Add("capShare", "Only a Capped chain has a cap share.");
        }

        if (errors.Any)
        {
            return Reply<ValueChainDto>.Invalid(errors);
        }

        var id = Idempotency.IdFor("chain", IRegistryGrain.ValueChains, key);
        var result = await grains.GetGrain<IValueChainGrain>(id).CreateAsync(new ValueChain(id, name, products, policy, body.CapShare, []),
            Idempotency.HashOf(body));
        return result.Outcome == CommandOutcome.KeyReused
            ? Reply<ValueChainDto>.KeyReused()
            : new(result.Value!.ToDto(), StatusCodes.Status201Created);
    }

    public async Task<Reply<ValueChainDto>> AddChainMemberAsync(string chainId, AddChainMember body, string? key)
    {
        var chain = grains.GetGrain<IValueChainGrain>(chainId);
        if (await chain.GetAsync() is null)
        {
            return Reply<ValueChainDto>.NotFound(Missing.ValueChain, chainId);
        }

        var errors = new FieldErrors(Today);
        var cooperativeId = errors.Text("cooperativeId", body.CooperativeId, FieldErrors.NameLength);
        var role = errors.OneOf("role", body.Role, Roles, fallback: "producer");
        if (!errors.Any && await grains.GetGrain<ICooperativeGrain>(cooperativeId).GetAsync() is null)
        {
            errors.Add("cooperativeId", Missing.Cooperative, cooperativeId);
        }

        if (errors.Any)
        {
            return Reply<ValueChainDto>.Invalid(errors);
        }

        var result = await chain.AddMemberAsync(new ChainMember(cooperativeId, role), key, Idempotency.HashOf(body));
        return result.Outcome == CommandOutcome.KeyReused
            ? Reply<ValueChainDto>.KeyReused()
            : new(result.Value!.ToDto(), StatusCodes.Status201Created);
    }
}
