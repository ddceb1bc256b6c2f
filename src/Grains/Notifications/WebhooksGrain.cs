using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CoopMarket.Grains.Notifications;

/// <summary>Sends each webhook its notices in order, one at a time, and retries a failed one with exponential backoff
/// and jitter until the receiver takes it: at least once, since a receiver that took a notice whose acknowledgement
/// was not stored gets it again (it dedupes by the event id header).</summary>
/// <remarks>Durable: where each webhook stands is stored after every attempt, and a reminder wakes the grain every
/// minute while webhooks exist, so retries survive a deactivation or a silo's death. Between reminders a one-second
/// timer looks for attempts that came due, by the market clock, so tests move time with a fake clock.</remarks>
internal sealed partial class WebhooksGrain(
    [PersistentState("webhooks")] IPersistentState<WebhooksState> state,
    [FromKeyedServices(MarketTime.ServiceKey)] TimeProvider clock,
    WebhookSender sender,
    ILogger<WebhooksGrain> logger) : Grain, IWebhooksGrain, IRemindable
{
    private const string Reminder = "webhooks";
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromHours(1);

    /// <summary>Notices read from the inbox at once: a behind webhook's catch-up in few round trips to the inbox,
    /// whatever the size of the pages its log is sealed in (one page of a log stored before logs knew their own
    /// size, a few of a newer one's), and a bounded batch in memory.</summary>
    private const int ReadSize = 100;

    private IGrainTimer? timer;

    private IInboxGrain Inbox => GrainFactory.GetGrain<IInboxGrain>(this.GetPrimaryKeyString());

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Woken by its reminder (or any call) after a deactivation: pick up retries where the stored state left them.
        if (state.State.Hooks.Count > 0)
        {
            StartTimer();
        }

        return Task.CompletedTask;
    }

    async Task<WebhookRegistration> IWebhooksGrain.RegisterAsync(string id, string url)
    {
        var hooks = state.State.Hooks;
        var count = (await Inbox.GetSummaryAsync()).Count;
        if (hooks.FirstOrDefault(h => h.Id == id) is not { } hook)
        {
            if (hooks.Count >= IWebhooksGrain.MaxWebhooks)
            {
                return new(WebhookOutcome.TooMany, null, null);
            }

            // From the notice after the newest: a webhook is told what happens from now on; the inbox holds the past.
            hook = new Webhook(id, url, "whsec_" + System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32)), clock.GetUtcNow(), count);
            await state.WriteAsync(state.State with { Hooks = [.. hooks, hook] }, this);
        }
        else if (hook.Url != url)
        {
            return new(WebhookOutcome.KeyReused, null, null);
        }

        // Also on a retry: the first attempt may have stored the webhook and failed before these.
        await this.RegisterOrUpdateReminder(Reminder, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        await Inbox.SetWebhooksAsync(true);
        return new(WebhookOutcome.Registered, hook.View(count), hook.Secret);
    }

    async Task<IReadOnlyList<WebhookView>> IWebhooksGrain.ListAsync()
    {
        var count = (await Inbox.GetSummaryAsync()).Count;
        return [.. state.State.Hooks.Select(h => h.View(count))];
    }

    async Task IWebhooksGrain.DeleteAsync(string id)
    {
        var hooks = state.State.Hooks;
        if (hooks.All(h => h.Id != id))
        {
            return;
        }

        await state.WriteAsync(state.State with { Hooks = [.. hooks.Where(h => h.Id != id)] }, this);
        if (state.State.Hooks.Count == 0)
        {
            await Inbox.SetWebhooksAsync(false);
            if (await this.GetReminder(Reminder) is { } reminder)
            {
                await this.UnregisterReminder(reminder);
            }
        }
    }

    Task IWebhooksGrain.WakeAsync() => SendDueAsync();

    Task IRemindable.ReceiveReminder(string reminderName, TickStatus status) => SendDueAsync();

    /// <summary>Sends every webhook what is due, stopping at each one's first failure; keeps the timer while anything
    /// waits, so a retry runs soon after it comes due.</summary>
    private async Task SendDueAsync()
    {
        if (timer is not null && state.State.Hooks.All(h => !h.IsDue(clock.GetUtcNow())))
        {
            // Only retries wait, none due yet: the tick costs nothing, not even a look at the inbox.
            return;
        }

        var count = (await Inbox.GetSummaryAsync()).Count;
        foreach (var id in state.State.Hooks.Select(h => h.Id).ToList())
        {
            // A page of notices per read of the inbox, not one: a webhook that fell behind catches up at the cost of
            // its sends, not of a round trip to the inbox (and a read of a sealed page) per notice.
            IReadOnlyList<InboxItem> page = [];
            while (state.State.Hooks.FirstOrDefault(h => h.Id == id) is { } hook && hook.DeliveredThrough < count && hook.IsDue(clock.GetUtcNow()))
            {
                if (page.FirstOrDefault(i => i.Sequence == hook.DeliveredThrough + 1) is not { } item)
                {
                    page = await Inbox.ReadAfterAsync(hook.DeliveredThrough, ReadSize);
                    item = page[0];
                }

                if (!await SendAsync(hook, item))
                {
                    break;
                }
            }
        }

        var waiting = state.State.Hooks.Any(h => h.DeliveredThrough < count);
        if (waiting && timer is null)
        {
            StartTimer();
        }
        else if (!waiting && timer is not null)
        {
            timer.Dispose();
            timer = null;
        }
    }

    private void StartTimer() => timer = this.RegisterGrainTimer(SendDueAsync,
        new GrainTimerCreationOptions { DueTime = TimeSpan.FromSeconds(1), Period = TimeSpan.FromSeconds(1), KeepAlive = true });

    private async Task<bool> SendAsync(Webhook hook, InboxItem item)
    {
        var now = clock.GetUtcNow();
        var (status, error) = await sender.SendAsync(hook.Url, hook.Secret, this.GetPrimaryKeyString(), item, now);
        var delivered = error is null;
        var next = delivered
            ? hook with { DeliveredThrough = item.Sequence, Attempts = 0, LastStatus = status, LastError = null, LastAttemptAt = now, NextAttemptAt = null }
            : hook with { Attempts = hook.Attempts + 1, LastStatus = status, LastError = error, LastAttemptAt = now, NextAttemptAt = now + Backoff(hook.Attempts + 1) };
        if (!delivered)
        {
            LogDeliveryFailed(logger, IdentityString, hook.Id, item.Sequence, next.Attempts, error);
        }

        await state.WriteAsync(state.State with { Hooks = [.. state.State.Hooks.Select(h => h.Id == hook.Id ? next : h)] }, this);
        return delivered;
    }

    /// <summary>2 s doubling per failed attempt up to an hour, each wait drawn from its upper half, so receivers that
    /// failed together (one outage) are not all retried in the same second.</summary>
    internal static TimeSpan Backoff(int attempts)
    {
        var full = TimeSpan.FromTicks(Math.Min(LongestRetry.Ticks, FirstRetry.Ticks << Math.Min(attempts - 1, 20)));
        return full / 2 + full / 2 * Random.Shared.NextDouble();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook {Webhook} of {Participant} did not take event {EventId} (attempt {Attempts}): {Error}")]
    private static partial void LogDeliveryFailed(ILogger logger, string participant, string webhook, long eventId, int attempts, string? error);
}
