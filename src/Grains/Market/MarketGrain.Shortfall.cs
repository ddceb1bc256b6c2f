using CoopMarket.Matching;

namespace CoopMarket.Grains.Market;

// A lot's shortfall: the cooperative has less than it posted. The market, which owns every gram, takes them off the
// unsold rest first, then off the deals that have not shipped, newest first, and sources each request that lost grams
// again at once, all in one journal entry.
internal sealed partial class MarketGrain
{
    Task<ShortfallResult> IMarketGrain.ReportShortfallAsync(LotShortfall shortfall) => InTurnAsync(() => ReportShortfallAsync(shortfall));

    private async Task<ShortfallResult> ReportShortfallAsync(LotShortfall shortfall)
    {
        Ready();
        await ExpireStaleAsync();
        await ExpireDueDealsAsync();
        var lotId = shortfall.LotId;
        if (!lots.TryGetValue(lotId, out var terms) || book.FindLot(lotId) is not { } lot)
        {
            return await EarlierShortfallAsync(shortfall) ?? new(ShortfallOutcome.Closed, null);
        }

        if (shortfall.Key is not null && lastShortfalls.TryGetValue(lotId, out var last) && last.Key == shortfall.Key)
        {
            return last.NewQuantityGrams == shortfall.NewQuantityGrams
                ? new(ShortfallOutcome.Replayed, await LotViewAsync(terms, lot.RemainingGrams, LotStatus(lot), nextEntry - 1, 0))
                : new(ShortfallOutcome.KeyReused, null);
        }

        if (await EarlierShortfallAsync(shortfall) is { } earlier)
        {
            return earlier;
        }

        // Shortfalls are rare: a scan of the deals in progress costs less than an index kept up to date on every deal.
        var shrinkable = liveDeals.Values.Where(d => d.LotId == lotId && DealLifecycle.MayShrink(d.Status))
            .OrderByDescending(d => d.Entry).ThenByDescending(d => d.Id.Length).ThenByDescending(d => d.Id, StringComparer.Ordinal)
            .ToList();
        var least = lot.QuantityGrams - lot.RemainingGrams - shrinkable.Sum(d => d.Grams);
        if (shortfall.NewQuantityGrams >= lot.QuantityGrams)
        {
            return new(ShortfallOutcome.NotLess, null, lot.QuantityGrams, least);
        }

        if (shortfall.NewQuantityGrams < least)
        {
            return new(ShortfallOutcome.BelowShipped, null, lot.QuantityGrams, least);
        }

        var cut = lot.QuantityGrams - shortfall.NewQuantityGrams;
        var entry = await ChangeAsync(number =>
        {
            var now = clock.GetUtcNow();
            var owed = cut - Math.Min(cut, lot.RemainingGrams);
            List<DealChange> shrunk = [];
            foreach (var deal in shrinkable.TakeWhile(_ => owed > 0))
            {
                var grams = Math.Min(deal.Grams, owed);
                owed -= grams;
                shrunk.Add(new DealChange(deal.Id, number, deal.Grams == grams ? Deal.Shorted : deal.Status, now, lotId, deal.RequestId,
                    deal.CooperativeId, deal.BuyerId, deal.Grams - grams, DealSide.Cooperative, Key: null, ShortGrams: grams));
            }

            // What requests off the market had is read before the book changes it.
            var closedChanges = shrunk.Where(c => !requests.ContainsKey(c.RequestId)).GroupBy(c => c.RequestId)
                .ToDictionary(g => g.Key, g => ClosedRequestChange(g.Key, number, g.Sum(c => c.ShortGrams)), StringComparer.Ordinal);

            // Each request gets back all it lost before any is sourced again; then each is sourced once, in the order its
            // deals shrank, and the short lot is out of the running.
            book.ShortLot(lotId, cut);
            foreach (var shrink in shrunk)
            {
                book.ReturnToRequest(shrink.RequestId, shrink.CooperativeId, shrink.ShortGrams);
            }

            var resourced = shrunk.Select(c => c.RequestId).Distinct().Where(requests.ContainsKey).ToList();
            var fills = resourced.SelectMany(requestId => book.Rematch(requestId, excludedLotId: lotId)).ToList();
            var deals = ToDeals(fills, number);
            var remaining = book.FindLot(lotId)!.RemainingGrams;
            var status = shortfall.NewQuantityGrams == 0 ? LotView.Shorted : LotStatus(remaining);
            var lotChange = new LotChange(lotId, number, remaining, status, [], terms, ShortfallGrams: cut, Shortfall: shortfall);
            List<RequestChange> requestChanges = [.. resourced.Select(id => ResourcedRequest(id, number, deals.Where(d => d.RequestId == id))),
                .. closedChanges.Values];
            return new MarketEntry(number, now, MarketEntryKind.LotShorted, null, null, lotId, 0, deals, null, null,
                [lotChange, .. LotChanges(deals, number)], requestChanges, DealChanges: shrunk);
        });
        var shorted = entry.LotChanges[0];
        return new(ShortfallOutcome.Done, await LotViewAsync(terms, shorted.RemainingGrams, shorted.Status, entry.Number, cut), lot.QuantityGrams, least);
    }

    /// <summary>The answer to a key the market no longer holds as the lot's last (a later shortfall replaced it, or the
    /// lot left the market): the lot's record keeps every keyed shortfall, so a late retry is replayed and a reused key
    /// refused, rather than carried out as new. Null for a key never reported.</summary>
    private async Task<ShortfallResult?> EarlierShortfallAsync(LotShortfall shortfall)
    {
        var record = GrainFactory.GetGrain<ISupplyLotGrain>(shortfall.LotId);
        if (shortfall.Key is not { } key || await record.FindShortfallAsync(key) is not { } earlier)
        {
            return null;
        }

        return earlier.NewQuantityGrams == shortfall.NewQuantityGrams
            ? new(ShortfallOutcome.Replayed, await record.GetAsync())
            : new(ShortfallOutcome.KeyReused, null);
    }

    /// <summary>The lot's record, or, should its projection lag, the record as this entry leaves it.</summary>
    private async Task<LotView> LotViewAsync(LotTerms terms, long remaining, string status, long number, long cut)
    {
        var view = await GrainFactory.GetGrain<ISupplyLotGrain>(terms.Id).GetAsync();
        return view switch
        {
            { } known when known.Version >= number => known,
            { } known => known with { RemainingGrams = remaining, Status = status, Version = number, ShortfallGrams = known.ShortfallGrams + cut },
            null => new LotView(terms, remaining, status, 0, number, ShortfallGrams: cut),
        };
    }

    private static string LotStatus(OpenLot lot) => lot.QuantityGrams == 0 ? LotView.Shorted : LotStatus(lot.RemainingGrams);

    /// <summary>The change of a request that is back in the book after getting grams back, with the deals that sourced it again.</summary>
    private RequestChange ResourcedRequest(string requestId, long number, IEnumerable<Deal> resourced)
    {
        var remaining = book.FindRequest(requestId)!.RemainingGrams;
        var terms = requests[requestId];
        var filled = terms.QuantityGrams - remaining;
        return new RequestChange(requestId, number, filled, remaining, RequestStatus(filled, remaining), Ids(resourced), terms);
    }

    /// <summary>The change of a request off the market (cancelled or expired) that simply got <paramref name="lost"/> grams less.</summary>
    private RequestChange ClosedRequestChange(string requestId, long number, long lost)
    {
        var closed = closedRequests[requestId];
        return new RequestChange(requestId, number, closed.FilledGrams - lost, 0, closed.Status, [], closed.Terms);
    }
}
