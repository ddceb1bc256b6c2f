namespace CoopMarket.Grains.Market;

[GenerateSerializer]
internal sealed class SupplyLotState
{
    [Id(0)] public LotView? View { get; set; }
}
