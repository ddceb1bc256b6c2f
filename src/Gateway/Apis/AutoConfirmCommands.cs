using CoopMarket.Gateway.Contracts;
using CoopMarket.Gateway.Security;
using CoopMarket.Gateway.Validation;
using CoopMarket.Grains;
using CoopMarket.Grains.Participants;

namespace CoopMarket.Gateway.Apis;

/// <summary>A cooperative's auto-confirm rules: read and replaced by the cooperative (or the district office), checked
/// here, owned by its <see cref="IAutoConfirmGrain"/>. The API and the web app's settings page both go through it.</summary>
internal sealed class AutoConfirmCommands(IGrainFactory grains, [FromKeyedServices(MarketTime.ServiceKey)] TimeProvider clock)
{
    public async Task<Reply<AutoConfirmDto>> GetAsync(string cooperativeId, Caller caller) =>
        await KnownAsync(cooperativeId, caller)
            ? new(ToDto(await grains.GetGrain<IAutoConfirmGrain>(cooperativeId).GetAsync()), StatusCodes.Status200OK)
            : NotFound(cooperativeId);

    public async Task<Reply<AutoConfirmDto>> SetAsync(string cooperativeId, SetAutoConfirm body, Caller caller)
    {
        if (!await KnownAsync(cooperativeId, caller))
        {
            return NotFound(cooperativeId);
        }

        var errors = new FieldErrors(clock.Today());
        var buyers = await KnownAsync(errors, "buyerIds", body.BuyerIds, AutoConfirmRules.MaxBuyers,
            async id => await grains.GetGrain<IBuyerGrain>(id).GetAsync() is not null, "No buyer has this id.");
        var chains = await KnownAsync(errors, "valueChainIds", body.ValueChainIds, AutoConfirmRules.MaxValueChains,
            async id => await grains.GetGrain<IValueChainGrain>(id).GetAsync() is not null, "No value chain has this id.");
        if (errors.Any)
        {
            return Reply<AutoConfirmDto>.Invalid(errors);
        }

        return new(ToDto(await grains.GetGrain<IAutoConfirmGrain>(cooperativeId).SetAsync(buyers, chains)), StatusCodes.Status200OK);
    }

    /// <summary>The ids, each checked to name something that exists, without duplicates and in order, so the same
    /// rules sent again are the same rules. A list over its bound is refused before any id is looked up.</summary>
    private static async Task<List<string>> KnownAsync(FieldErrors errors, string field, IReadOnlyList<string>? ids, int max,
        Func<string, Task<bool>> exists, string unknown)
    {
        if (ids is null)
        {
            return [];
        }

        if (ids.Count > max)
        {
            errors.Add(field, "At most {0}.", max);
            return [];
        }

        var known = await errors.KnownIdsAsync(field, ids, FieldErrors.NameLength, exists, unknown);
        return [.. known.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    private async Task<bool> KnownAsync(string cooperativeId, Caller caller) =>
        caller.MayAccess(cooperativeId) && await grains.GetGrain<ICooperativeGrain>(cooperativeId).GetAsync() is not null;

    private static AutoConfirmDto ToDto(AutoConfirmRules rules) => new(rules.BuyerIds, rules.ValueChainIds);

    private static Reply<AutoConfirmDto> NotFound(string cooperativeId) => Reply<AutoConfirmDto>.NotFound(Missing.Cooperative, cooperativeId);
}
