using CoopMarket.Gateway.Apis;
using CoopMarket.Gateway.Contracts;
using CoopMarket.Grains.Market;

namespace CoopMarket.Gateway.Web;

/// <summary>A deal as a participant's page shows it: with the other side's name, and which side the reader is, so the
/// page offers only the steps <see cref="DealLifecycle"/> lets that side take.</summary>
internal sealed record DealLine(DealDto Deal, string Counterpart, DealSide Side)
{
    private static readonly DealStep[] Steps = Enum.GetValues<DealStep>();

    /// <summary>The steps the reader may take on the deal in its present status; the market decides again on submit.</summary>
    public IEnumerable<DealStep> Allowed => Steps.Where(s => DealLifecycle.MayTake(Side, s) && DealLifecycle.Allows(Deal.Status, s));

    /// <summary>The deal with the name of the side that is not <paramref name="viewer"/>; null while it is not readable.</summary>
    public static async Task<DealLine?> LoadAsync(IGrainFactory grains, ParticipantNames names, string id, string viewer)
    {
        if (await DealsApi.LoadAsync(grains, id) is not { } deal)
        {
            return null;
        }

        var name = deal.CooperativeId == viewer ? await names.BuyerAsync(deal.BuyerId) : await names.CooperativeAsync(deal.CooperativeId);
        return new(deal, name ?? "", deal.CooperativeId == viewer ? DealSide.Cooperative : DealSide.Buyer);
    }
}
