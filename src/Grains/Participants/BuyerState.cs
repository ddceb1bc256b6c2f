namespace CoopMarket.Grains.Participants;

[GenerateSerializer]
internal sealed class BuyerState
{
    [Id(0)] public Enrolment<BuyerProfile> Enrolment { get; set; } = new();
    [Id(1)] public List<string> RequestIds { get; set; } = [];
    [Id(2)] public List<string> DealIds { get; set; } = [];
}
