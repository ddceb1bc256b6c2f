using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using CoopMarket.Grains.Telemetry;
using CoopMarket.Grains.Tests.Market;

namespace CoopMarket.Grains.Tests.Telemetry;

/// <summary>The market's meter reports what the market did: commands, deals, kilograms, journal writes, backlog,
/// failed projections and snapshots.</summary>
[Collection(ClusterCollection.Name)]
public sealed class MarketInstrumentsTests(ClusterFixture fixture)
{
    [Fact]
    public async Task A_matched_request_counts_its_commands_deals_and_kilograms_for_its_product()
    {
        var market = new MarketScenario(fixture.Grains, "metrics");
        await market.CreateProductAsync();
        using var meter = new ProductMeasurements(market.Product);

        await market.Market.PostLotAsync(market.Lot("lot", 3_000, 25_000), "h1");
        await market.Market.PlaceRequestAsync(market.Request("request", 5_000, 30_000), "h2");

        Assert.Equal(2, meter.Sum("coopmarket.market.commands"));
        Assert.Equal(1, meter.Sum("coopmarket.market.deals"));
        Assert.Equal(3_000, meter.Sum("coopmarket.market.matched"));
        Assert.Equal(2, meter.Count("coopmarket.market.journal.write.duration"));
        Assert.Equal(0, meter.Last("coopmarket.market.projection.lag"));
        Assert.Equal(0, meter.Sum("coopmarket.market.projection.failures"));
    }

    [Fact]
    public async Task A_record_update_that_fails_is_counted_and_the_backlog_shows_it()
    {
        var market = new MarketScenario(fixture.Grains, "metrics-fault");
        await market.CreateProductAsync();
        using var meter = new ProductMeasurements(market.Product);
        var lot = market.Lot("lot", 10, 25_000);

        using (FaultyStorage.Arm($"{lot.Id}/lot", times: 2))
        {
            await market.Market.PostLotAsync(lot, "h1");
            Assert.Equal(1, meter.Last("coopmarket.market.projection.lag"));
            await market.Market.PostLotAsync(market.Lot("next", 1, 90_000), "h2");
        }

        await market.Market.PostLotAsync(market.Lot("last", 1, 90_000), "h3");
        Assert.Equal(2, meter.Sum("coopmarket.market.projection.failures"));
        Assert.Equal(0, meter.Last("coopmarket.market.projection.lag"));
    }

    [Fact]
    public async Task A_snapshot_counts_the_pages_it_wrote()
    {
        var market = new MarketScenario(fixture.Grains, "metrics-snapshot");
        await market.CreateProductAsync();
        using var meter = new ProductMeasurements(market.Product);

        // Entry 200's snapshot writes lot pages 0 (entries 1–199) and 1 (entry 200), and the directory naming them.
        for (var i = 0; i < 200; i++)
        {
            await market.Market.PostLotAsync(market.Lot($"lot{i}", 1, 25_000 + i), $"lot{i}");
        }

        Assert.Equal(1, meter.Count("coopmarket.market.snapshot.write.duration"));
        Assert.Equal(3, meter.Sum("coopmarket.market.snapshot.pages"));
    }

    /// <summary>The meter is process-wide and other tests trade beside this one: keeps only one product's measurements.</summary>
    private sealed class ProductMeasurements : IDisposable
    {
        private readonly ConcurrentQueue<(string Instrument, double Value)> measured = new();
        private readonly MeterListener listener = new();

        public ProductMeasurements(string product)
        {
            listener.InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == MarketInstruments.MeterName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            };
            listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Keep(i, v, tags));
            listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Keep(i, v, tags));
            listener.Start();

            void Keep<T>(Instrument instrument, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
                where T : struct
            {
                foreach (var tag in tags)
                {
                    if (tag is { Key: "product", Value: string tagged } && tagged == product)
                    {
                        measured.Enqueue((instrument.Name, Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture)));
                    }
                }
            }
        }

        public double Sum(string instrument) => measured.Where(m => m.Instrument == instrument).Sum(m => m.Value);

        public int Count(string instrument) => measured.Count(m => m.Instrument == instrument);

        public double Last(string instrument) => measured.Last(m => m.Instrument == instrument).Value;

        public void Dispose() => listener.Dispose();
    }
}
