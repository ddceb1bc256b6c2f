using CoopMarket.Grains.Notifications;
using CoopMarket.Grains.Paging;
using CoopMarket.Tests;

namespace CoopMarket.Grains.Tests.Notifications;

/// <summary>A participant's webhooks against a receiver on 127.0.0.1 (the test silos run in Development): how they
/// read the inbox, and what a failed write of where a webhook stands does to its deliveries.</summary>
[Collection(ClusterCollection.Name)]
public sealed class WebhooksGrainTests(ClusterFixture fixture) : IDisposable
{
    private readonly WebhookReceiver receiver = new(failures: 0);
    private readonly string key = $"cooperative/hooks-{Guid.NewGuid():N}";

    private IGrainFactory Grains => fixture.Grains;

    private IWebhooksGrain Hooks => Grains.GetGrain<IWebhooksGrain>(key);

    private IInboxGrain Inbox => Grains.GetGrain<IInboxGrain>(key);

    public void Dispose() => receiver.Dispose();

    [Fact]
    public async Task A_webhook_that_fell_behind_reads_the_inbox_a_page_at_a_time_not_a_notice_at_a_time()
    {
        await RegisterAsync();
        var pages = $"coopmarket-inbox-page/{key}/";

        // 250 notices at once: the inbox's log seals its full pages into records of their own, the rest is its tail.
        await Inbox.DeliverAsync([.. Enumerable.Range(1, 250).Select(entry => NoticeOf(entry))]);
        var done = await EventuallyAsync(async () => Assert.Single(await Hooks.ListAsync()), h => h.DeliveredThrough == 250);

        Assert.Equal(0, done.Pending);
        Assert.Equal(Enumerable.Range(1, 250).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), receiver.Received);
        // About one read of each sealed page: a page a read of the webhook's ends in is read again by the next (three
        // reads of 100 notices); a notice at a time read them once per sealed notice.
        var sealedPages = 250 / PagedLog.PageSize;
        Assert.InRange(FaultyStorage.ReadsOf(pages), 1, sealedPages + 3);
    }

    [Fact]
    public async Task A_delivery_state_write_that_fails_leaves_the_webhook_as_it_was_and_the_event_is_sent_again_under_its_id()
    {
        await RegisterAsync();

        WebhookView afterFailure;
        using (FaultyStorage.Arm($"{key}/webhooks"))
        {
            await Inbox.DeliverAsync([NoticeOf(1), NoticeOf(2), NoticeOf(3)]);
            await EventuallyAsync(() => Task.FromResult(receiver.Calls), calls => calls >= 1);
            // Queued behind the turn whose write failed, so it sees what that turn left.
            afterFailure = Assert.Single(await Hooks.ListAsync());
        }

        // The receiver took event 1 but its acknowledgement was not stored: the webhook stands where it stood.
        Assert.Equal((0L, 3L, 0, (int?)null, (DateTimeOffset?)null), (afterFailure.DeliveredThrough, afterFailure.Pending, afterFailure.Attempts, afterFailure.LastStatus, afterFailure.LastAttemptAt));
        var done = await EventuallyAsync(async () => Assert.Single(await Hooks.ListAsync()), h => h.DeliveredThrough == 3);

        // At least once: event 1 again, under the same id and signature, so the receiver keeps one; nothing lost, and
        // nothing after it sent twice.
        Assert.Equal(["1", "1", "2", "3"], receiver.Received);
        Assert.Equal(0, receiver.BadSignatures);
        Assert.Equal((0L, 0, 204), (done.Pending, done.Attempts, done.LastStatus));
    }

    [Fact]
    public async Task A_delivery_state_write_whose_reply_was_lost_sends_nothing_twice_after_the_webhook_reactivates()
    {
        await RegisterAsync();

        using (FaultyStorage.Arm($"{key}/webhooks", FaultyStorage.Kind.LoseReply))
        {
            await Inbox.DeliverAsync([NoticeOf(1), NoticeOf(2), NoticeOf(3)]);
            await EventuallyAsync(() => Task.FromResult(receiver.Calls), calls => calls >= 1);
        }

        // The acknowledgement landed though its write seemed to fail: the activation that could not tell gave way to
        // one that reads what landed, and goes on from event 2.
        var done = await EventuallyAsync(async () => Assert.Single(await Hooks.ListAsync()), h => h.DeliveredThrough == 3);

        Assert.Equal(["1", "2", "3"], receiver.Received);
        Assert.Equal(0, receiver.BadSignatures);
        Assert.Equal((0L, 0), (done.Pending, done.Attempts));
    }

    private async Task RegisterAsync()
    {
        var registered = await Hooks.RegisterAsync("hook", receiver.Url);
        Assert.Equal(WebhookOutcome.Registered, registered.Outcome);
        receiver.Secret = registered.Secret;
    }

    private static Notice NoticeOf(long entry) =>
        new(Notice.IdFor("rice", entry, $"d{entry}", NoticeKind.DealProposed), NoticeKind.DealProposed, ClusterFixture.Clock.GetUtcNow(),
            "rice", $"d{entry}", "lot", "request", 1_500, "proposed");

    /// <summary>Reads until <paramref name="done"/> holds: deliveries run in the silo, on its timer and one-way calls.</summary>
    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        for (var until = DateTime.UtcNow.AddSeconds(20); ; await Task.Delay(50))
        {
            var value = await read();
            if (done(value) || DateTime.UtcNow > until)
            {
                Assert.True(done(value), $"still {value} after 20 s");
                return value;
            }
        }
    }
}
