using CoopMarket.Grains.Notifications;
using CoopMarket.Tests;

namespace CoopMarket.Grains.Tests.Failover;

/// <summary>A webhook's retry is kept by a reminder in Redis, so a delivery that failed is made even when the silo of
/// its webhooks grain dies and nobody calls that grain again.</summary>
[Collection(RedisClusterCollection.Name)]
public sealed class WebhookFailoverTests(RedisClusterFixture fixture)
{
    // The reminder ticks once a minute (Orleans' shortest period); its new silo takes over the dead one's share of
    // reminders within seconds. Real time for the infrastructure, never for business time, which the fake clock moves.
    private static readonly TimeSpan ReminderPatience = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task A_failed_delivery_is_retried_from_its_reminder_on_another_silo_and_each_event_arrives_once_signed()
    {
        using var receiver = new WebhookReceiver(failures: 1);
        var grains = fixture.Cluster.Client;
        var key = $"buyer/webhook-failover-{Guid.NewGuid():N}";
        var hooks = grains.GetGrain<IWebhooksGrain>(key);
        var registered = await hooks.RegisterAsync("hook", receiver.Url);
        receiver.Secret = registered.Secret;

        await grains.GetGrain<IInboxGrain>(key).DeliverAsync([NoticeOf(1), NoticeOf(2)]);
        var failed = await EventuallyAsync(async () => Assert.Single(await hooks.ListAsync()), h => h.Attempts == 1, TimeSpan.FromSeconds(20));
        Assert.Equal((500, 0L), (failed.LastStatus, failed.DeliveredThrough));
        var victim = await fixture.HostOfAsync(hooks);

        // Killed before the retry comes due, so the timer of its first activation cannot have made it; then nothing
        // calls the webhooks grain: only its reminder, on the silo that takes over the dead one's, can wake it.
        await fixture.Cluster.KillSiloAsync(victim);
        RedisClusterFixture.Clock.Advance(TimeSpan.FromSeconds(5));
        await fixture.Cluster.StartAdditionalSiloAsync();
        await EventuallyAsync(() => Task.FromResult(receiver.Accepted.Count), taken => taken == 2, ReminderPatience);

        Assert.Equal(["1", "1", "2"], receiver.Received);
        Assert.Equal(new Dictionary<string, int> { ["1"] = 1, ["2"] = 1 }, receiver.Accepted);
        Assert.Equal(0, receiver.BadSignatures);
        var done = await EventuallyAsync(async () => Assert.Single(await hooks.ListAsync()), h => h.DeliveredThrough == 2, TimeSpan.FromSeconds(20));
        Assert.Equal((0L, 0, 204), (done.Pending, done.Attempts, done.LastStatus));
    }

    private static Notice NoticeOf(long entry) =>
        new(Notice.IdFor("rice", entry, $"d{entry}", NoticeKind.DealConfirmed), NoticeKind.DealConfirmed, RedisClusterFixture.Clock.GetUtcNow(),
            "rice", $"d{entry}", "lot", "request", 1_500, "confirmed");

    /// <summary>Reads until <paramref name="done"/> holds; reads of grains whose silo died fail for some seconds, and are retried.</summary>
    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan patience)
    {
        var until = DateTime.UtcNow + patience;
        while (true)
        {
            try
            {
                var value = await read();
                if (done(value) || DateTime.UtcNow > until)
                {
                    Assert.True(done(value), $"still {value} after {patience}");
                    return value;
                }
            }
            catch (Exception e) when (e is OrleansException or TimeoutException && DateTime.UtcNow < until)
            {
                // The grain's silo died: the next read reaches its new activation.
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }
    }
}
