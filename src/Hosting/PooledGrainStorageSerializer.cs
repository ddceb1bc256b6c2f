using Orleans.Serialization;
using Orleans.Storage;

namespace CoopMarket.Hosting;

/// <summary>Stores grain state in the bytes Orleans' own <see cref="OrleansGrainStorageSerializer"/> writes, byte for
/// byte, so records either wrote read back with either; only the buffer it writes through differs.</summary>
/// <remarks>Orleans' storage serializer writes every record into a fresh buffer that starts at 256 bytes and doubles,
/// copying what it has written at each step, and keeps the last, oversized one. A record holding a page of notices
/// (an inbox's tail of up to a hundred) passes through half a dozen arrays a write, at nine writes a place-request:
/// that copying was the deepest single leaf under grain storage in the session-8 profile of the embedded gateway
/// (bench/RESULTS.md), and its arrays are garbage at once. Here the state is written into pooled memory and copied
/// once into an array of exactly its size.</remarks>
public sealed class PooledGrainStorageSerializer(Serializer serializer) : IGrainStorageSerializer
{
    private readonly OrleansGrainStorageSerializer reader = new(serializer);

    public BinaryData Serialize<T>(T? input) => new(serializer.SerializeToArray(input));

    public T? Deserialize<T>(BinaryData input) => reader.Deserialize<T>(input);
}
