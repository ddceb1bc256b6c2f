using CoopMarket.Grains.Telemetry;

namespace CoopMarket.Grains.Market;

// Group commit: the market decides one command at a time, as ever, but the commands that arrive while a journal write
// is on its way share the next write, so a market's throughput is no longer one command per storage round trip.
//
// How a command runs:
//  1. It takes the market's turn (`InTurnAsync`): one command at a time checks, awaits what it needs from other grains,
//     and decides, exactly as when the grain took one call at a time, so its checks (a retry's receipt, a body's hash,
//     a lot still open) hold when it decides. Decisions stay strictly sequential in memory. Every call but
//     KnowsRequestAsync (which answers on the side of the cap) takes the turn; the grain is reentrant only so that
//     calls can wait for their write while others decide.
//  2. Deciding (`Decide`) changes the book and queues the entry for the journal; the entry's number is the next one.
//  3. A placement or a posted lot leaves the turn as soon as it has decided, so the next command can decide on top of
//     it; every other command keeps the turn until its own entry has landed (they are rare, and often read records
//     right after their write).
//  4. Out of the turn, the command waits until every entry decided before it left the turn has landed and been
//     carried to the records: only then does its caller hear anything, a refusal included (a refusal may rest on a
//     decision still on its way).
//     A retry of an id whose entry is decided but not yet written finds its receipt and waits for that write: it is
//     never decided twice, and hears nothing before the write lands.
//  5. One writer (`WriteAsync`) writes the queued entries in order, up to MaxEntriesPerWrite in one record, drains
//     the projections once for them, then completes their commands; meanwhile the next commands queue for the next
//     write.
//
// What one journal write holds: up to MaxEntriesPerWrite consecutive entries, stored as one record under the first
// entry's number, the rest in its Following. The write is the commit point for all of them: if it fails, or its reply
// is lost, every command in it (and every one decided after it, on top of it) fails, the activation takes no further
// call and deactivates, and the next activation loads whatever the journal holds.
internal sealed partial class MarketGrain
{
    // Entries one journal record holds at most: a few KB each (an entry with a thousand expiries is the rare exception),
    // so a record stays small, and 32 waiting commands (the gateway's usual concurrency) share one write.
    internal const int MaxEntriesPerWrite = 32;

    // The market's turn: whoever holds it may read and change the book. Each command waits for the one before it to
    // leave the turn (the grain runs one piece of code at a time, so a chain of tasks is the whole lock), in arrival order.
    private Task turnFree = Task.CompletedTask;

    // Entries decided but not yet written, in order, split into writes; the first is being written when `writing`.
    private readonly List<PendingWrite> unwritten = [];
    private bool writing;
    private bool snapshotting;
    private long committedThrough;

    // The write that landed and whose entries are being carried to their records: its commands are not answered yet.
    private PendingWrite? carrying;

    /// <summary>Runs <paramref name="command"/> in the market's turn, then answers once every entry decided so far has
    /// landed and reached its records.</summary>
    private async Task<T> InTurnAsync<T>(Func<Task<T>> command)
    {
        var left = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var before = turnFree;
        turnFree = left.Task;
        await before;
        long decided;
        T answer;
        try
        {
            await SnapshotBeforeDecidingAsync();
            answer = await command();
            decided = nextEntry - 1;
        }
        finally
        {
            left.SetResult();
        }

        await CommittedAsync(decided);
        return answer;
    }

    private async Task InTurnAsync(Func<Task> command) => await InTurnAsync(async () =>
    {
        await command();
        return true;
    });

    /// <summary>The one way the market changes: <paramref name="decide"/> changes the book and returns the entry,
    /// numbered as it is given, that says what it did; the entry is then queued for the journal. Called in the turn.</summary>
    /// <remarks>From the first change of the book until the write lands, memory is ahead of the journal, and nobody
    /// hears of it: answers wait for the write (see <see cref="InTurnAsync{T}"/>). Whatever throws while deciding may
    /// leave memory holding what is not stored, so the activation takes no further call and goes: the next one loads from
    /// the journal, which holds the truth either way. A command the book's own guard refuses before changing anything
    /// pays a reload too; the gateway checks first, so that is the price of a bug, and one path for every failure is
    /// worth more than sparing it.</remarks>
    private MarketEntry Decide(Func<long, MarketEntry> decide)
    {
        Ready();
        MarketEntry entry;
        Dictionary<string, string> scopes;
        try
        {
            entry = WithRuleConfirmations(decide(nextEntry));
            scopes = AllowanceScopes(entry);
            Settle(entry);
            entry = entry with { Holds = Holds(scopes) };
        }
        catch
        {
            Poison();
            throw;
        }

        nextEntry = entry.Number + 1;
        // A receipt is kept as soon as it is decided, so a retry of the same id is never decided twice; it is answered
        // only once the entry has landed (see RememberedAsync).
        Remember(entry);
        if (unwritten.Count == 0 || unwritten[^1].Sealed || unwritten[^1].Entries.Count == MaxEntriesPerWrite)
        {
            unwritten.Add(new PendingWrite());
        }

        unwritten[^1].Add(entry, scopes);
        if (!writing)
        {
            writing = true;
            _ = WriteAsync();
        }

        return entry;
    }

    /// <summary>Decides, then waits in the turn until the entry has landed and reached its records.</summary>
    private async Task<MarketEntry> ChangeAsync(Func<long, MarketEntry> decide)
    {
        var entry = Decide(decide);
        await CommittedAsync(entry.Number);
        return entry;
    }

    /// <summary>Completes once entry <paramref name="number"/> has landed and its projections were carried; throws what
    /// failed its write, or, for an entry never written because an earlier write failed, that the market is reloading.</summary>
    /// <remarks>An entry of the write being carried has landed but is not answered before its records have it, so a
    /// retry of its command, answered from its receipt, is not told of it before a read of its records would show it.</remarks>
    private Task CommittedAsync(long number) =>
        number > committedThrough
            ? unwritten.FirstOrDefault(w => w.Last >= number) is { } write ? write.Landed.Task : Task.FromException(new MarketReloadingException())
            : carrying is { } carried && number >= carried.First ? carried.Landed.Task
            : Task.CompletedTask;

    /// <summary>Writes what is queued, one record at a time, in order, until nothing is left.</summary>
    /// <remarks>It runs in the grain's own scheduler, outside the turn (commands decide meanwhile), and it is the only
    /// writer of the journal. No-fork: every record is written create-only under the number after the last entry this
    /// activation read or wrote; see MarketJournal for why that can never land inside another activation's record.</remarks>
    private async Task WriteAsync()
    {
        // Starts once the deciding command's turn yields, so the commands waiting for the turn meanwhile join this write;
        // and a write that fails at once still fails the commands in it with its own error, after they began to wait.
        await Task.Yield();
        while (unwritten.Count > 0 && !poisoned)
        {
            var write = unwritten[0];
            write.Sealed = true;
            try
            {
                await AppendAsync(write.Record());
            }
            catch (Exception e)
            {
                Poison();
                unwritten.RemoveAt(0);
                write.Landed.TrySetException(e);
                break;
            }

            unwritten.RemoveAt(0);
            committedThrough = write.Last;
            carrying = write;
            try
            {
                await CarryAsync(write);
                write.Landed.TrySetResult();
            }
            catch (Exception e)
            {
                // The entries stand (a retry with their keys is answered from them); their callers hear what went wrong
                // after the write, as a cancelled snapshot.
                write.Landed.TrySetException(e);
            }
            finally
            {
                carrying = null;
            }
        }

        // Entries decided on top of a write that failed were never written: their commands fail, and are tried again on the
        // next activation.
        foreach (var never in unwritten)
        {
            never.Landed.TrySetException(new MarketReloadingException($"Market {book.Product} is reloading: an earlier journal write failed; try again."));
        }

        unwritten.Clear();
        writing = false;
    }

    /// <summary>What follows a write that landed: its entries reach their records, and a snapshot is written when due.</summary>
    private async Task CarryAsync(PendingWrite write)
    {
        foreach (var entry in write.Entries)
        {
            MarketInstruments.Committed(book.Product, entry.Kind, entry.Deals);
            projection.Enqueue(entry);
        }

        // Read-your-writes: nobody hears of an entry before its records have it (or their update failed and is retried).
        await projection.DrainAsync();
        if (unwritten.Count == 0)
        {
            // Nothing decided is unwritten at this instant, and a snapshot takes what it holds before its first await.
            await SnapshotIfDueAsync();
        }

        await EnsureDeadlineReminderAsync();
    }

    /// <summary>Before a command decides: a snapshot the writer could not take (commands kept deciding while each write
    /// landed, so something was always unwritten) is taken now, once every decided entry has landed; the turn keeps new
    /// decisions out meanwhile.</summary>
    private async Task SnapshotBeforeDecidingAsync()
    {
        if (SnapshotDue && unwritten.Count > 0)
        {
            await CommittedAsync(nextEntry - 1);
            await SnapshotIfDueAsync();
        }
    }

    /// <summary>Writes a snapshot if one is due and none is being written. Only while no decided entry is unwritten, so
    /// that it holds nothing the journal lacks (and ends where a journal record ends).</summary>
    private async Task SnapshotIfDueAsync()
    {
        if (!SnapshotDue || snapshotting)
        {
            return;
        }

        snapshotting = true;
        try
        {
            await WriteSnapshotAsync();
        }
        finally
        {
            snapshotting = false;
        }
    }

    private bool SnapshotDue => !poisoned && nextEntry - 1 - snapshotThrough >= SnapshotEvery;

    private void Poison()
    {
        poisoned = true;
        DeactivateOnIdle();
    }

    /// <summary>Whether an entry on its way to the journal changes <paramref name="requestId"/>'s allowance.</summary>
    private bool InFlight(string requestId) => unwritten.Any(w => w.Scopes.ContainsKey(requestId));

    /// <summary>Consecutive entries that go to the journal in one write.</summary>
    private sealed class PendingWrite
    {
        public List<MarketEntry> Entries { get; } = [];

        /// <summary>The unverified buyers' requests (those an allowance may ask about) these entries change.</summary>
        public Dictionary<string, string> Scopes { get; } = new(StringComparer.Ordinal);

        public TaskCompletionSource Landed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public long First => Entries[0].Number;

        public long Last => Entries[^1].Number;

        /// <summary>Being written: later entries go to the next write.</summary>
        public bool Sealed { get; set; }

        public void Add(MarketEntry entry, Dictionary<string, string> scopes)
        {
            Entries.Add(entry);
            foreach (var (request, scope) in scopes)
            {
                Scopes[request] = scope;
            }
        }

        /// <summary>The stored record: the first entry, carrying the others.</summary>
        public MarketEntry Record() => Entries.Count == 1 ? Entries[0] : Entries[0] with { Following = Entries[1..] };
    }
}
