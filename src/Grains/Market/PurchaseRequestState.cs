namespace CoopMarket.Grains.Market;

[GenerateSerializer]
internal sealed class PurchaseRequestState
{
    [Id(0)] public RequestView? View { get; set; }
}
