using System.Collections.Concurrent;
using Orleans.Storage;

namespace CoopMarket.Grains.Tests;

/// <summary>The real (local) grain storage with faults injected on command: a write (or clear) that fails before it
/// lands, or one that lands and then loses its reply, for records whose storage key matches a test's own keys.</summary>
/// <remarks>Silos of the test cluster run in this process, so tests arm faults through this static registry.</remarks>
public sealed class FaultyStorage : IGrainStorage
{
    private static readonly ConcurrentDictionary<Guid, Fault> Faults = new();
    private static readonly ConcurrentDictionary<Guid, HeldWrite> Holds = new();
    private static readonly ConcurrentDictionary<string, int> Landed = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, int> Reads = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, (string StateName, GrainId Id)> Written = new(StringComparer.Ordinal);

    /// <summary>The storage the faults wrap, so tests can read what really landed.</summary>
    public static IGrainStorage? Inner { get; private set; }

    public enum Kind
    {
        /// <summary>The write throws without storing anything.</summary>
        Fail,

        /// <summary>The write is stored, then throws as if its reply was lost.</summary>
        LoseReply,

        /// <summary>A read answers only after the fault's delay, as from a storage that is slow or far away.</summary>
        SlowRead,

        /// <summary>The write is stored, but only after the fault's delay, as by a storage that is slow or far away.</summary>
        SlowWrite,

        /// <summary>The write is cancelled before it stores anything: it throws <see cref="OperationCanceledException"/>,
        /// which the market lets through rather than counting it as a storage fault.</summary>
        Cancel,
    }

    /// <summary>Makes the next <paramref name="times"/> writes (reads, for <see cref="Kind.SlowRead"/>) whose key
    /// contains <paramref name="keyPart"/> fail (or only wait, for the slow kinds), each after <paramref name="delay"/> (as a
    /// storage that is down answers only when the client's timeout runs out); dispose to disarm what is left.</summary>
    public static IDisposable Arm(string keyPart, Kind kind = Kind.Fail, int times = 1, TimeSpan delay = default)
    {
        var id = Guid.NewGuid();
        Faults[id] = new Fault(keyPart, kind, times, delay);
        return new Disarm(id);
    }

    /// <summary>Holds the next write whose key contains <paramref name="keyPart"/> until the test lets it go, so a test can
    /// act while a grain awaits its storage; the write then goes on as any other (a fault armed for it still applies).
    /// Dispose to let it go, or to disarm the hold if no write came.</summary>
    public static HeldWrite Hold(string keyPart)
    {
        var held = new HeldWrite(keyPart);
        Holds[held.Id] = held;
        return held;
    }

    /// <summary>How many writes landed for keys containing <paramref name="keyPart"/>.</summary>
    public static int LandedWrites(string keyPart) => Landed.Where(w => w.Key.Contains(keyPart, StringComparison.Ordinal)).Sum(w => w.Value);

    /// <summary>How many reads asked for records whose keys contain <paramref name="keyPart"/>.</summary>
    public static int ReadsOf(string keyPart) => Reads.Where(r => r.Key.Contains(keyPart, StringComparison.Ordinal)).Sum(r => r.Value);

    /// <summary>The records written here whose keys contain <paramref name="keyPart"/> that storage still holds (a clear
    /// may have gone past this wrapper), so a test can tell what a grain left behind.</summary>
    public static async Task<List<GrainId>> StoredAsync<T>(string keyPart)
    {
        var stored = new List<GrainId>();
        foreach (var (_, (stateName, id)) in Written.Where(w => w.Key.Contains(keyPart, StringComparison.Ordinal)))
        {
            var state = new GrainState<T>();
            await Inner!.ReadStateAsync(stateName, id, state);
            if (state.RecordExists)
            {
                stored.Add(id);
            }
        }

        return stored;
    }

    /// <summary>Reads a record straight from storage, past any activation's memory.</summary>
    public static async Task<T?> ReadAsync<T>(string stateName, GrainId id)
    {
        var state = new GrainState<T>();
        await Inner!.ReadStateAsync(stateName, id, state);
        return state.RecordExists ? state.State : default;
    }

    private readonly IGrainStorage inner;

    public FaultyStorage(IGrainStorage inner)
    {
        this.inner = inner;
        Inner = inner;
    }

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = $"{grainId}/{stateName}";
        Reads.AddOrUpdate(key, 1, (_, n) => n + 1);
        if (Take(key, reading: true) is { } slow)
        {
            await Task.Delay(slow.Delay);
        }

        await inner.ReadStateAsync(stateName, grainId, grainState);
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = $"{grainId}/{stateName}";
        foreach (var (id, held) in Holds)
        {
            if (key.Contains(held.KeyPart, StringComparison.Ordinal) && Holds.TryRemove(id, out _))
            {
                await held.WaitAsync();
                break;
            }
        }

        var taken = Take(key, reading: false);
        if (taken is { Delay: var delay } && delay > TimeSpan.Zero)
        {
            await Task.Delay(delay);
        }

        var fault = taken?.Kind;
        if (fault == Kind.Fail)
        {
            throw new IOException($"Injected storage failure writing {key}.");
        }

        if (fault == Kind.Cancel)
        {
            throw new OperationCanceledException($"Injected cancellation writing {key}.");
        }

        var etagBefore = grainState.ETag;
        await inner.WriteStateAsync(stateName, grainId, grainState);
        Landed.AddOrUpdate(key, 1, (_, n) => n + 1);
        Written.TryAdd(key, (stateName, grainId));
        if (fault == Kind.LoseReply)
        {
            // The record is stored with a new etag the caller never hears of.
            grainState.ETag = etagBefore;
            throw new TimeoutException($"Injected lost reply writing {key}.");
        }
    }

    /// <summary>A clear is a write: it fails, or loses its reply, as one.</summary>
    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = $"{grainId}/{stateName}";
        var fault = Take(key, reading: false)?.Kind;
        if (fault == Kind.Fail)
        {
            throw new IOException($"Injected storage failure clearing {key}.");
        }

        await inner.ClearStateAsync(stateName, grainId, grainState);
        if (fault == Kind.LoseReply)
        {
            throw new TimeoutException($"Injected lost reply clearing {key}.");
        }
    }

    private static Fault? Take(string key, bool reading)
    {
        foreach (var (id, fault) in Faults)
        {
            if ((fault.Kind == Kind.SlowRead) == reading && key.Contains(fault.KeyPart, StringComparison.Ordinal) && fault.TryTake())
            {
                if (fault.Left == 0)
                {
                    Faults.TryRemove(id, out _);
                }

                return fault;
            }
        }

        return null;
    }

    private sealed class Fault(string keyPart, Kind kind, int times, TimeSpan delay)
    {
        private int left = times;

        public TimeSpan Delay => delay;
        public string KeyPart => keyPart;
        public Kind Kind => kind;
        public int Left => Volatile.Read(ref left);

        public bool TryTake()
        {
            int current;
            do
            {
                current = Volatile.Read(ref left);
                if (current <= 0)
                {
                    return false;
                }
            }
            while (Interlocked.CompareExchange(ref left, current - 1, current) != current);

            return true;
        }
    }

    /// <summary>A write held on its way to storage: <see cref="Reached"/> completes when a write is held, and
    /// <see cref="Release"/> (or disposing) lets it go.</summary>
    public sealed class HeldWrite(string keyPart) : IDisposable
    {
        private readonly TaskCompletionSource reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Reached => reached.Task;

        internal Guid Id { get; } = Guid.NewGuid();

        internal string KeyPart => keyPart;

        public void Release() => released.TrySetResult();

        public void Dispose()
        {
            Holds.TryRemove(Id, out _);
            Release();
        }

        internal Task WaitAsync()
        {
            reached.TrySetResult();
            return released.Task;
        }
    }

    private sealed class Disarm(Guid id) : IDisposable
    {
        public void Dispose() => Faults.TryRemove(id, out _);
    }
}
