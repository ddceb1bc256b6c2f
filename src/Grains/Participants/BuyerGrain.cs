using CoopMarket.Grains.Paging;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace CoopMarket.Grains.Participants;

internal sealed class BuyerGrain(
    [PersistentState("buyer")] IPersistentState<BuyerState> state,
    [FromKeyedServices("Default")] IGrainStorage storage)
    : ParticipantGrain<BuyerProfile, BuyerState>(state, storage, IRegistryGrain.Buyers, "buyer"), IBuyerGrain
{
    protected override bool IsVerified(BuyerProfile profile) => profile.Verified;

    async Task<BuyerProfile?> IBuyerGrain.VerifyAsync()
    {
        if (State.State.Enrolment.Profile is { Verified: false } profile)
        {
            await State.WriteAsync(State.State.With(State.State.Enrolment with { Profile = profile with { Verified = true } }), this);
        }

        return State.State.Enrolment.Profile;
    }

    Task<IdPage> IBuyerGrain.GetRequestIdsAsync(PageRequest page) => GetPostIdsAsync(page);
}
