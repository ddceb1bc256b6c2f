using CoopMarket.Grains.Participants;
using CoopMarket.Grains.Telemetry;
using Microsoft.Extensions.Logging;

namespace CoopMarket.Grains.Market;

/// <summary>Carries journal entries to the records people read — deals, lots, requests, and the participants'
/// indexes — strictly in journal order. Every update is idempotent, so an entry may be carried more than once.</summary>
internal sealed partial class MarketProjection(IGrainFactory grains, string product, ILogger logger)
{
    private readonly Queue<MarketEntry> pending = new();

    public bool IsIdle => pending.Count == 0;

    public void Enqueue(MarketEntry entry) => pending.Enqueue(entry);

    /// <summary>Projects pending entries in order; stops at the first failure and leaves it for the next drain.</summary>
    public async Task DrainAsync()
    {
        while (pending.TryPeek(out var entry))
        {
            try
            {
                await ProjectAsync(entry);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogProjectionFailed(logger, e, entry.Number);
                break;
            }

            pending.Dequeue();
        }

        MarketInstruments.ProjectionBacklog(product, pending.Count);
    }

    private async Task ProjectAsync(MarketEntry entry)
    {
        await Task.WhenAll(entry.Deals.Select(d => grains.GetGrain<IDealGrain>(d.Id).RecordAsync(d)));
        await Task.WhenAll(
            entry.LotChanges.Select(c => (Task)grains.GetGrain<ISupplyLotGrain>(c.LotId).ApplyAsync(c))
                .Concat(entry.RequestChanges.Select(c => (Task)grains.GetGrain<IPurchaseRequestGrain>(c.RequestId).ApplyAsync(c))));

        var cooperatives = entry.Deals.GroupBy(d => d.CooperativeId).ToDictionary(g => g.Key, g => g.Select(d => d.Id).ToList());
        var buyers = entry.Deals.GroupBy(d => d.BuyerId).ToDictionary(g => g.Key, g => g.Select(d => d.Id).ToList());
        await Task.WhenAll(
            cooperatives.Keys.Union(entry.Lot is { } lot ? [lot.CooperativeId] : []).Select(id =>
                grains.GetGrain<ICooperativeGrain>(id).IndexAsync(entry.Lot?.CooperativeId == id ? [entry.Lot.Id] : [], cooperatives.GetValueOrDefault(id) ?? []))
            .Concat(buyers.Keys.Union(entry.Request is { } request ? [request.BuyerId] : []).Select(id =>
                grains.GetGrain<IBuyerGrain>(id).IndexAsync(entry.Request?.BuyerId == id ? [entry.Request.Id] : [], buyers.GetValueOrDefault(id) ?? []))));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Projecting market entry {Entry} failed; it will be retried")]
    private static partial void LogProjectionFailed(ILogger logger, Exception exception, long entry);
}
