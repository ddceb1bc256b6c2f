using CoopMarket.Gateway.Apis;
using CoopMarket.Gateway.Contracts;
using CoopMarket.Grains.Participants;

namespace CoopMarket.Gateway.Web;

/// <summary>A deal as a participant's page shows it: with the other side's name.</summary>
internal sealed record DealLine(DealDto Deal, string Counterpart)
{
    /// <summary>The deal with the name of the side that is not <paramref name="viewer"/>; null while it is not readable.</summary>
    public static async Task<DealLine?> LoadAsync(IGrainFactory grains, string id, string viewer)
    {
        if (await DealsApi.LoadAsync(grains, id) is not { } deal)
        {
            return null;
        }

        var name = deal.CooperativeId == viewer
            ? (await grains.GetGrain<IBuyerGrain>(deal.BuyerId).GetAsync())?.Name
            : (await grains.GetGrain<ICooperativeGrain>(deal.CooperativeId).GetAsync())?.Name;
        return new(deal, name ?? "");
    }
}
