using System.Security.Cryptography;
using CoopMarket.Grains.Market;
using CoopMarket.Matching;

namespace CoopMarket.MarketMemory;

/// <summary>What a market grain holds in memory for its open book, filled the way <c>MarketGrain</c> fills it when a
/// lot is posted or a request placed and nothing matches: the book, the terms as posted, the summary's tally, and —
/// after the command — the receipt kept for retries (until a snapshot prunes it; the newest 200 stay).</summary>
/// <remarks>The grain's code is not called: it needs a silo. The steps below are the grain's own (<c>PostLotAsync</c>,
/// <c>PlaceRequestAsync</c>, <c>Settle</c>, <c>Remember</c>) on the same types; if the grain starts keeping more per
/// entry, this program must follow. Every string a command brings is a fresh copy, as a silo that deserializes each
/// call gets it (in embedded mode immutable arguments may be shared with the gateway, so this is the upper side).</remarks>
internal sealed class OpenMarket(bool keepReceipts)
{
    private const string Product = "dragon-fruit";
    private static readonly DateOnly Today = new(2026, 11, 29);
    private static readonly GeoPlace[] Pickups = [new("Đông Lai", 20.66, 105.46), new("Mãn Đức", 20.72, 105.39), new("Tử Nê", 20.70, 105.52)];
    private static readonly GeoPlace[] Deliveries = [new("Hà Nội", 21.03, 105.85), new("Hải Phòng", 20.84, 106.69), new("Đà Nẵng", 16.05, 108.20)];

    private readonly Book book = new(Product, shelfLifeDays: 18) { Today = Today };
    private readonly Dictionary<string, LotTerms> lots = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RequestTerms> requests = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RememberedReceipt> receipts = new(StringComparer.Ordinal);
    private readonly MarketTally tally = new();
    private long entry;

    public int OpenLots => lots.Count;
    public int OpenRequests => requests.Count;
    public int Receipts => receipts.Count;

    /// <summary>A lot of 4 kg at one of 50 asks from 20,000 VND/kg, from one of 20 cooperatives, as LoadGen posts them.</summary>
    public void PostLot(int n, long grams = 4_000)
    {
        var terms = new LotTerms(Fresh($"lot-{Hex(n, 20)}"), Fresh($"coop-{n % 20:D4}-{Hex(n % 20, 8)}"), Fresh(Product), grams,
            Grade.A, [], Today, Today.AddDays(5), 20_000 + n % 50 * 100, 0, Copy(Pickups[n % Pickups.Length]), []);
        var outcome = book.PostLot(terms.ToSupplyLot());
        if (outcome.Fills.Count > 0)
        {
            throw new InvalidOperationException("A lot matched: this program measures an open book only.");
        }

        lots[terms.Id] = terms;
        tally.Lot(terms, outcome.RemainingGrams);
        Remember(terms.Id, new Receipt(terms.Id, LotView.Open, outcome.RemainingGrams, 0, []));
    }

    /// <summary>A request of 1 kg from one of 200 buyers, priced below every ask so it rests.</summary>
    public void PlaceRequest(int n)
    {
        var terms = new RequestTerms(Fresh($"request-{Hex(n, 20)}"), Fresh($"buyer-{n % 200:D4}-{Hex(n % 200, 8)}"), Fresh(Product), 1_000,
            Grade.C, [], 0, Today.AddDays(3), Today.AddDays(17), 15_000, Copy(Deliveries[n % Deliveries.Length]), true, null, null, null);
        var outcome = book.PlaceRequest(terms.ToPurchaseRequest());
        if (outcome.Fills.Count > 0)
        {
            throw new InvalidOperationException("A request matched: this program measures an open book only.");
        }

        requests[terms.Id] = terms;
        tally.Request(terms, outcome.RemainingGrams);
        Remember(terms.Id, new Receipt(terms.Id, RequestView.Open, outcome.RemainingGrams, 0, []));
    }

    /// <summary>A 1 kg request priced above every ask, as LoadGen places them: it fills at once from an open lot, leaves
    /// the book, and only its receipt (with its one deal) stays, until a snapshot prunes it (the newest 200 stay).</summary>
    public void PlaceFilledRequest(int n)
    {
        var terms = new RequestTerms(Fresh($"request-{Hex(n, 20)}"), Fresh($"buyer-{n % 200:D4}-{Hex(n % 200, 8)}"), Fresh(Product), 1_000,
            Grade.C, [], 0, Today.AddDays(3), Today.AddDays(17), 40_000, Copy(Deliveries[0]), true, null, null, null);
        var outcome = book.PlaceRequest(terms.ToPurchaseRequest());
        if (outcome.RemainingGrams != 0 || outcome.Fills.Count != 1)
        {
            throw new InvalidOperationException("The request did not fill from one lot: post open lots first.");
        }

        var now = DateTimeOffset.UtcNow;
        var fill = outcome.Fills[0];
        // As MarketGrain.ToDeals names and fills a deal, then Settle: the lot's tally moves, the filled request leaves.
        var deal = new Deal($"deal-{Product}-{entry + 1}-1", fill.LotId, fill.RequestId, fill.CooperativeId, fill.BuyerId, fill.Product,
            fill.QuantityGrams, fill.PriceVndPerKg, fill.TransportVndPerKg, Deal.Proposed, fill.Reason.ToDealReason(), fill.HarvestOn,
            fill.DeliverOn, now);
        tally.Lot(lots[fill.LotId], book.FindLot(fill.LotId)!.RemainingGrams);
        tally.Request(terms, 0);
        book.CancelRequest(terms.Id);
        Remember(terms.Id, new Receipt(terms.Id, RequestView.Filled, 0, fill.QuantityGrams, [deal]));
    }

    private void Remember(string id, Receipt receipt)
    {
        entry++;
        if (keepReceipts)
        {
            receipts[id] = new RememberedReceipt(Fresh(Hex(entry, 64)), receipt, entry);
        }
    }

    private static GeoPlace Copy(GeoPlace place) => new(Fresh(place.Name), place.Latitude, place.Longitude);

    // A new string object with the same characters, as deserialization makes one per message.
    private static string Fresh(string text) => new(text.AsSpan());

    private static string Hex(long n, int length) =>
        Convert.ToHexStringLower(SHA256.HashData(BitConverter.GetBytes(n)))[..length];
}
