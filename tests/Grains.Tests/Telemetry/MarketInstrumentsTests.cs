using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using CoopMarket.Grains.Telemetry;
using CoopMarket.Grains.Tests.Market;

namespace CoopMarket.Grains.Tests.Telemetry;

/// <summary>The market's meter reports what the market did: commands, deals, kilograms, journal writes and backlog.</summary>
[Collection(ClusterCollection.Name)]
public sealed class MarketInstrumentsTests(ClusterFixture fixture)
{
    [Fact]
    public async Task A_matched_request_counts_its_commands_deals_and_kilograms_for_its_product()
    {
        var market = new MarketScenario(fixture.Grains, "metrics");
        await market.CreateProductAsync();
        // The meter is process-wide and other tests trade beside this one: keep only this product's measurements.
        var measured = new ConcurrentQueue<(string Instrument, double Value)>();
        using var listener = new MeterListener();
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

        await market.Market.PostLotAsync(market.Lot("lot", 3_000, 25_000), "h1");
        await market.Market.PlaceRequestAsync(market.Request("request", 5_000, 30_000), "h2");

        double Sum(string instrument) => measured.Where(m => m.Instrument == instrument).Sum(m => m.Value);
        Assert.Equal(2, Sum("coopmarket.market.commands"));
        Assert.Equal(1, Sum("coopmarket.market.deals"));
        Assert.Equal(3_000, Sum("coopmarket.market.matched"));
        Assert.Equal(2, measured.Count(m => m.Instrument == "coopmarket.market.journal.write.duration"));
        Assert.Equal(0, measured.Last(m => m.Instrument == "coopmarket.market.projection.lag").Value);

        void Keep<T>(Instrument instrument, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags) where T : struct
        {
            foreach (var tag in tags)
            {
                if (tag is { Key: "product", Value: string product } && product == market.Product)
                {
                    measured.Enqueue((instrument.Name, Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture)));
                }
            }
        }
    }
}
