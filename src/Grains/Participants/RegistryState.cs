using CoopMarket.Grains.Paging;

namespace CoopMarket.Grains.Participants;

[GenerateSerializer, Immutable]
internal sealed record RegistryState
{
    [Id(0)] public PagedLog<string> Ids { get; init; } = PagedLog.New<string>();

    /// <summary>The newest ids, at most <see cref="RegistryGrain.RecentKept"/>: what a registration retried after a
    /// lost reply is checked against.</summary>
    [Id(1)] public IReadOnlyList<string> Recent { get; init; } = [];
}
