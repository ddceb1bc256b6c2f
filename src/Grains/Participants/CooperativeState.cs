namespace CoopMarket.Grains.Participants;

[GenerateSerializer]
internal sealed class CooperativeState
{
    [Id(0)] public Enrolment<CooperativeProfile> Enrolment { get; set; } = new();
    [Id(1)] public List<ChainMembership> Chains { get; set; } = [];
    [Id(2)] public List<string> LotIds { get; set; } = [];
    [Id(3)] public List<string> DealIds { get; set; } = [];
}
