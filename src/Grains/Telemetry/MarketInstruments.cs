using System.Diagnostics.Metrics;
using CoopMarket.Grains.Market;

namespace CoopMarket.Grains.Telemetry;

/// <summary>The market's own meter: what an operator watches besides Orleans and ASP.NET Core. Every instrument of the
/// market lives here, tagged by product, so a dashboard can put one product's market beside another's.</summary>
/// <remarks>Static, like the runtime's own meters: grains of every kind record into it without a service to inject,
/// and the exporters pick it up by <see cref="MeterName"/>.</remarks>
public static class MarketInstruments
{
    public const string MeterName = "CoopMarket.Market";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Commands = Meter.CreateCounter<long>(
        "coopmarket.market.commands", "{command}", "Changes the market journaled, by kind: lots posted and withdrawn, requests placed and cancelled, daily expiries.");

    private static readonly Counter<long> Deals = Meter.CreateCounter<long>(
        "coopmarket.market.deals", "{deal}", "Deals the market made.");

    private static readonly Counter<double> KilogramsMatched = Meter.CreateCounter<double>(
        "coopmarket.market.matched", "kg", "Kilograms of produce matched into deals.");

    private static readonly Histogram<double> JournalWrite = Meter.CreateHistogram<double>(
        "coopmarket.market.journal.write.duration", "s", "How long writing one journal entry took: every command waits for it.");

    private static readonly Gauge<long> ProjectionLag = Meter.CreateGauge<long>(
        "coopmarket.market.projection.lag", "{entry}", "Journal entries not yet carried to the lot, request, deal and participant records people read.");

    private static readonly Counter<long> ProjectionFailures = Meter.CreateCounter<long>(
        "coopmarket.market.projection.failures", "{update}", "Updates of a record that failed and wait to be retried; the journal still holds the change.");

    private static readonly Histogram<double> SnapshotWrite = Meter.CreateHistogram<double>(
        "coopmarket.market.snapshot.write.duration", "s", "How long writing one snapshot took, its pages included: the market's commands wait behind it.");

    private static readonly Counter<long> SnapshotPages = Meter.CreateCounter<long>(
        "coopmarket.market.snapshot.pages", "{page}", "Snapshot pages written, directories included: what a snapshot writes follows what changed since the last one.");

    /// <summary>A snapshot landed after <paramref name="elapsed"/>, having written <paramref name="pages"/> pages.</summary>
    internal static void SnapshotWritten(string product, TimeSpan elapsed, int pages)
    {
        var productTag = new KeyValuePair<string, object?>("product", product);
        SnapshotWrite.Record(elapsed.TotalSeconds, productTag);
        SnapshotPages.Add(pages, productTag);
    }

    /// <summary>An update of one record (<paramref name="record"/>'s kind: lot, request, deal, cooperative…) failed.</summary>
    internal static void ProjectionFailed(string product, string record) =>
        ProjectionFailures.Add(1, new("product", product), new("record", record));

    /// <summary>A journal write finished, or failed after <paramref name="elapsed"/>.</summary>
    internal static void JournalWritten(string product, TimeSpan elapsed, bool succeeded) =>
        JournalWrite.Record(elapsed.TotalSeconds, new("product", product), new("outcome", succeeded ? "ok" : "failed"));

    /// <summary>A change is journaled and stands: count it and the deals it made.</summary>
    internal static void Committed(string product, MarketEntryKind kind, IReadOnlyCollection<Deal> deals)
    {
        var productTag = new KeyValuePair<string, object?>("product", product);
        Commands.Add(1, productTag, new("kind", kind.ToString()));
        if (deals.Count == 0)
        {
            return;
        }

        Deals.Add(deals.Count, productTag);
        KilogramsMatched.Add(deals.Sum(d => d.QuantityGrams) / 1000.0, productTag);
    }

    /// <summary>How many journal entries of <paramref name="product"/> wait for their projection after a drain.</summary>
    internal static void ProjectionBacklog(string product, int entries) => ProjectionLag.Record(entries, new KeyValuePair<string, object?>("product", product));
}
