using CoopMarket.Grains.Paging;

namespace CoopMarket.Grains.Market;

[GenerateSerializer, Immutable]
internal sealed record PurchaseRequestState
{
    [Id(0)] public RequestView? View { get; init; }

    /// <summary>The body the id was first claimed with: the request's idempotency record, kept as long as the request.</summary>
    [Id(1)] public string? BodyHash { get; init; }

    /// <summary>The market's first answer, for a retry that comes after the market has forgotten it.</summary>
    [Id(2)] public Receipt? Receipt { get; init; }

    [Id(3)] public PagedLog<string> Deals { get; init; } = PagedLog.New<string>();
}
