using CoopMarket.Grains.Tests.Market;
using StackExchange.Redis;

namespace CoopMarket.Grains.Tests.Failover;

/// <summary>A change writes one small record of its own, whatever the size of the book; the whole book is written
/// only as an occasional snapshot, and a snapshot writes the pages that changed. Read straight from Redis, where the
/// grain storage puts them.</summary>
[Collection(RedisClusterCollection.Name)]
public sealed class JournalSizeTests(RedisClusterFixture fixture)
{
    [Fact]
    public async Task Each_change_writes_one_record_that_does_not_grow_with_the_book()
    {
        var market = new MarketScenario(fixture.Cluster.Client, "journal", RedisClusterFixture.Clock);
        await market.CreateProductAsync();
        await using var redis = await ConnectionMultiplexer.ConnectAsync(RedisClusterFixture.RedisConnectionString);
        var server = redis.GetServers()[0];
        var database = redis.GetDatabase();
        RedisKey[] Keys(string pattern) => [.. server.Keys(pattern: pattern)];

        for (var i = 0; i < 150; i++)
        {
            await market.Market.PostLotAsync(market.Lot($"lot{i}", 10, 25_000 + i), $"lot{i}");
        }

        var entries = Keys($"*coopmarket-journal/{market.Product}/*");
        Assert.Equal(150, entries.Length);
        Assert.Empty(Keys($"*coopmarket-snapshot/{market.Product}/*"));
        var first = await database.HashStringLengthAsync(entries.Single(k => k.ToString().Contains($"/{market.Product}/1/", StringComparison.Ordinal)), "data");
        var last = await database.HashStringLengthAsync(entries.Single(k => k.ToString().Contains($"/{market.Product}/150/", StringComparison.Ordinal)), "data");
        Assert.InRange(last, first / 2, first * 2);

        for (var i = 150; i < 210; i++)
        {
            await market.Market.PostLotAsync(market.Lot($"lot{i}", 10, 25_000 + i), $"lot{i}");
        }

        Assert.Single(Keys($"*coopmarket-snapshot/{market.Product}/*"));

        // Entry 400's snapshot rewrote page 1 of the lots and added page 2, and rewrote the directory naming them; the
        // versions of page 1 and of the directory it replaced are gone from Redis, not left behind as empty keys.
        for (var i = 210; i < 400; i++)
        {
            await market.Market.PostLotAsync(market.Lot($"lot{i}", 10, 25_000 + i), $"lot{i}");
        }

        Assert.Equal(
            ["Directory/0/400", "Lots/0/200", "Lots/1/400", "Lots/2/400"],
            Keys($"*coopmarket-snapshot-page/{market.Product}/*").Select(k => PageName(k.ToString(), market.Product)).Order());

        // The next activation overwrites the attempt the last one stored, under the etag Redis gave it, and its snapshot
        // (entry 600) lands.
        Assert.Single(Keys($"*coopmarket-snapshot-attempt/{market.Product}/*"));
        await market.DeactivateAsync();
        for (var i = 400; i < 600; i++)
        {
            await market.Market.PostLotAsync(market.Lot($"lot{i}", 10, 25_000 + i), $"lot{i}");
        }

        Assert.Equal(
            ["Directory/0/600", "Lots/0/200", "Lots/1/400", "Lots/2/600", "Lots/3/600"],
            Keys($"*coopmarket-snapshot-page/{market.Product}/*").Select(k => PageName(k.ToString(), market.Product)).Order());
    }

    /// <summary>The part of a page's Redis key after the product: family, number and stamp.</summary>
    private static string PageName(string key, string product)
    {
        var name = key[(key.IndexOf($"{product}/", StringComparison.Ordinal) + product.Length + 1)..];
        return string.Join('/', name.Split('/').Take(3));
    }
}
