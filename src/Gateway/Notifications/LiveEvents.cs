using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using CoopMarket.Gateway.Security;
using CoopMarket.Grains.Notifications;
using Microsoft.Extensions.Options;

namespace CoopMarket.Gateway.Notifications;

/// <summary>Streams an inbox as Server-Sent Events: <c>id:</c> the event id, <c>event:</c> its kind, <c>data:</c> the
/// event as JSON; from the event after <c>Last-Event-ID</c> when the client resumes, otherwise from now on.</summary>
/// <remarks>
/// Fed by an Orleans grain observer, not Redis pub/sub: the inbox grain calls every gateway that watches it, wherever
/// that gateway runs — as a client of the cluster or beside an embedded silo — so one path serves both modes, with no
/// second channel to configure, secure and keep in step with the inbox.
/// The call is only a wake-up; the stream always reads the inbox itself after the last event it sent. So a wake-up
/// lost to a silo's death, an inbox reactivated without its watchers, or a lease that ran out delays events until
/// the next heartbeat (when the stream renews its watch and rereads) but never drops, duplicates or reorders one.
/// Memory per stream is bounded: one pending wake-up, and at most one read's worth of events.
/// Authentication ran once, when the stream opened: the key or cookie it opened with is checked again before each
/// delivery and at each heartbeat, so a stream ends within a heartbeat of its key's rotation or revocation and never
/// sends a notice read after it. Its client's reconnect is then refused, as any request with that key or cookie is.
/// </remarks>
internal sealed partial class LiveEvents(IGrainFactory grains, IOptions<LiveEventsOptions> options, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, ILogger<LiveEvents> logger)
{
    public const string ContentType = "text/event-stream";
    private const int ReadSize = 100;

    /// <summary>The sequence <c>Last-Event-ID</c> names: null without the header, and false for one this API never sent.</summary>
    public static bool TryResumeAfter(HttpRequest request, out long? after)
    {
        after = null;
        if (!request.Headers.TryGetValue("Last-Event-ID", out var value))
        {
            return true;
        }

        var ok = long.TryParse(value.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence);
        after = sequence;
        return ok;
    }

    public async Task StreamAsync(HttpContext http, string inboxKey, long? resumeAfter)
    {
        var aborted = http.RequestAborted;
        var inbox = grains.GetGrain<IInboxGrain>(inboxKey);
        var after = resumeAfter ?? (await inbox.GetSummaryAsync()).Count;
        var wake = new Wake();
        var watcher = grains.CreateObjectReference<IInboxObserver>(wake);
        http.Response.ContentType = ContentType;
        http.Response.Headers.CacheControl = "no-cache";
        // nginx buffers responses unless told otherwise, which would hold events back until its buffer fills.
        http.Response.Headers["X-Accel-Buffering"] = "no";
        try
        {
            await inbox.WatchAsync(watcher);
            await http.Response.WriteAsync(": connected\n\n", aborted);
            await http.Response.Body.FlushAsync(aborted);
            while (!aborted.IsCancellationRequested)
            {
                var items = await inbox.ReadAfterAsync(after, ReadSize);
                if (items.Count > 0 && !await CredentialCheck.StillCurrentAsync(http))
                {
                    break;
                }

                foreach (var item in items)
                {
                    var data = JsonSerializer.Serialize(NoticeEvent.From(item), json.Value.SerializerOptions);
                    await http.Response.WriteAsync($"id: {item.Sequence.ToString(CultureInfo.InvariantCulture)}\nevent: {item.Notice.Kind}\ndata: {data}\n\n", aborted);
                    after = item.Sequence;
                }

                await http.Response.Body.FlushAsync(aborted);
                if (items.Count == ReadSize)
                {
                    continue;
                }

                if (!await wake.WaitAsync(TimeSpan.FromSeconds(options.Value.HeartbeatSeconds), aborted))
                {
                    if (!await CredentialCheck.StillCurrentAsync(http))
                    {
                        break;
                    }

                    await http.Response.WriteAsync(": heartbeat\n\n", aborted);
                    await http.Response.Body.FlushAsync(aborted);
                    await inbox.WatchAsync(watcher);
                }
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The client went away: nothing to answer.
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The response has started, so no problem details can follow: end the stream, and the client's reconnect
            // resumes from its Last-Event-ID.
            LogStreamEnded(logger, e, inboxKey);
        }
        finally
        {
            grains.DeleteObjectReference<IInboxObserver>(watcher);
            try
            {
                await inbox.UnwatchAsync(watcher);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The lease ends the watch anyway.
                LogUnwatchFailed(logger, e, inboxKey);
            }
        }
    }

    /// <summary>At most one wake-up waits: arrivals while the stream writes are all read by its next read.</summary>
    private sealed class Wake : IInboxObserver
    {
        private readonly Channel<long> signals = Channel.CreateBounded<long>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

        public Task DeliveredAsync(long count)
        {
            signals.Writer.TryWrite(count);
            return Task.CompletedTask;
        }

        /// <summary>True when woken, false when <paramref name="timeout"/> passed first.</summary>
        public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken aborted)
        {
            using var beat = CancellationTokenSource.CreateLinkedTokenSource(aborted);
            beat.CancelAfter(timeout);
            try
            {
                await signals.Reader.ReadAsync(beat.Token);
                return true;
            }
            catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
            {
                return false;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The live events of {Inbox} ended on a failure; the client resumes with Last-Event-ID")]
    private static partial void LogStreamEnded(ILogger logger, Exception exception, string inbox);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Unwatching {Inbox} failed; its lease ends the watch")]
    private static partial void LogUnwatchFailed(ILogger logger, Exception exception, string inbox);
}
