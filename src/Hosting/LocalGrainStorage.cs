using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.InteropServices;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace CoopMarket.Hosting;

/// <summary>Grain storage in this process's memory, for the embedded mode's single silo: each record is stored in the
/// same call that writes it, with no grain between. Orleans' memory provider sends every read and write as a call to
/// one of a few storage grains, each taking one call at a time; at about nine writes a command that hop and its
/// copies cost a fifth of the embedded gateway's CPU (issue 9).</summary>
/// <remarks>What the market relies on is kept as the Redis provider (with <c>DeleteStateOnClear</c>) does it: a write
/// without an etag creates a record and is refused over an existing one (a journal entry is never written twice), a
/// write or clear with an etag is refused unless it matches the stored one (also when nothing is stored), and a
/// cleared record is gone. Records are kept serialized with the silo's grain storage serializer, as Redis keeps
/// them: a caller never shares an object with the store, and a state that cannot be serialized fails here as it
/// would in Redis mode.</remarks>
public sealed class LocalGrainStorage(LocalGrainStorage.Records records, IGrainStorageSerializer serializer, IActivatorProvider activators)
    : IGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (records.Stored.TryGetValue((stateName, grainId), out var record))
        {
            grainState.State = serializer.Deserialize<T>(record.Data)!;
            grainState.ETag = record.ETag;
            grainState.RecordExists = true;
        }
        else
        {
            Empty(grainState);
        }

        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var written = new Record(records.NextETag(), Exactly(serializer.Serialize(grainState.State)));
        var key = (stateName, grainId);
        var stored = string.IsNullOrEmpty(grainState.ETag)
            ? records.Stored.TryAdd(key, written)
            : records.Stored.TryGetValue(key, out var current) && current.ETag == grainState.ETag
                && records.Stored.TryUpdate(key, written, current);
        if (!stored)
        {
            throw Conflict(nameof(WriteStateAsync), stateName, grainId, grainState.ETag);
        }

        grainState.ETag = written.ETag;
        grainState.RecordExists = true;
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = (stateName, grainId);
        var cleared = string.IsNullOrEmpty(grainState.ETag)
            ? !records.Stored.ContainsKey(key)
            : records.Stored.TryGetValue(key, out var current) && current.ETag == grainState.ETag
                && records.Stored.TryRemove(KeyValuePair.Create(key, current));
        if (!cleared)
        {
            throw Conflict(nameof(ClearStateAsync), stateName, grainId, grainState.ETag);
        }

        Empty(grainState);
        return Task.CompletedTask;
    }

    /// <summary>The serialized record in an array of exactly its size, as kept for the season: Orleans' own serializer
    /// answers a view of a larger buffer, which is copied once; <see cref="PooledGrainStorageSerializer"/> answers an
    /// array of the right size already, kept as it is rather than copied at every write.</summary>
    private static BinaryData Exactly(BinaryData serialized) =>
        MemoryMarshal.TryGetArray(serialized.ToMemory(), out var bytes) && bytes.Offset == 0 && bytes.Count == bytes.Array!.Length
            ? serialized
            : new BinaryData(serialized.ToArray());

    private void Empty<T>(IGrainState<T> grainState)
    {
        grainState.State = activators.GetActivator<T>().Create();
        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    private static InconsistentStateException Conflict(string operation, string stateName, GrainId grainId, string? etag) =>
        new($"Version conflict ({operation}): state {stateName} of {grainId} is not at etag '{etag}'.");

    /// <summary>The stored records of one process. A silo owns one; silos that share a process (a test cluster) may
    /// share one, as they would share a Redis.</summary>
    public sealed class Records
    {
        private long lastETag;

        internal ConcurrentDictionary<(string StateName, GrainId GrainId), Record> Stored { get; } = new();

        /// <summary>Etags are versions unique within the process, which is as long as these records live.</summary>
        internal string NextETag() => Interlocked.Increment(ref lastETag).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>A class, not a record: compare-and-swap on the dictionary compares by reference, so a write replaces
    /// (or a clear removes) exactly the version whose etag it checked.</summary>
    internal sealed class Record(string etag, BinaryData data)
    {
        public string ETag => etag;

        public BinaryData Data => data;
    }
}
