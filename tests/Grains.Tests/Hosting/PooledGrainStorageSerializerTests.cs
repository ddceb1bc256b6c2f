using CoopMarket.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;

namespace CoopMarket.Grains.Tests.Hosting;

/// <summary>Records stored before the pooled serializer, and by any host still on Orleans' own, read back unchanged:
/// the two write the same bytes.</summary>
public sealed class PooledGrainStorageSerializerTests
{
    private static readonly Serializer Serializer = new ServiceCollection()
        .AddSerializer(s => s.AddAssembly(typeof(PooledGrainStorageSerializerTests).Assembly))
        .BuildServiceProvider()
        .GetRequiredService<Serializer>();

    private readonly PooledGrainStorageSerializer pooled = new(Serializer);
    private readonly OrleansGrainStorageSerializer orleans = new(Serializer);

    [Fact]
    public void A_record_is_written_in_the_same_bytes_as_Orleans_storage_serializer_writes_it()
    {
        // Large enough that Orleans' buffer grows several times, with strings and a nested list to carry.
        var page = new Page("inbox-1", [.. Enumerable.Range(0, 300).Select(i => new Line(i, $"notice {i}: 1 kg dragon-fruit, Hà Nội"))]);

        var written = pooled.Serialize(page).ToArray();

        Assert.Equal(orleans.Serialize(page).ToArray(), written);
        Assert.Equal(page.Lines, orleans.Deserialize<Page>(new BinaryData(written))!.Lines);
        Assert.Equal(page.Lines, pooled.Deserialize<Page>(orleans.Serialize(page))!.Lines);
    }

    [GenerateSerializer, Immutable]
    public sealed record Page([property: Id(0)] string Owner, [property: Id(1)] IReadOnlyList<Line> Lines);

    [GenerateSerializer, Immutable]
    public sealed record Line([property: Id(0)] long Sequence, [property: Id(1)] string Text);
}
