using CoopMarket.Grains.Notifications;

namespace CoopMarket.Grains.Tests.Notifications;

/// <summary>A failing receiver is retried after waits that double from 2 s up to an hour, each drawn from the upper
/// half of its range, so receivers that failed together are not all retried in the same second.</summary>
public sealed class WebhookBackoffTests
{
    [Theory]
    [InlineData(1, 2)]
    [InlineData(2, 4)]
    [InlineData(5, 32)]
    [InlineData(12, 3_600)]
    [InlineData(40, 3_600)]
    public void Each_wait_lies_in_the_upper_half_of_its_doubling_capped_range(int attempts, int fullSeconds)
    {
        var waits = Enumerable.Range(0, 200).Select(_ => WebhooksGrain.Backoff(attempts)).ToList();

        Assert.All(waits, wait => Assert.InRange(wait.TotalSeconds, fullSeconds / 2.0, fullSeconds));
        // Jitter: two hundred draws from one range are not all the same wait.
        Assert.True(waits.Distinct().Count() > 100, $"{waits.Distinct().Count()} distinct waits of 200");
    }
}
