using CoopMarket.Grains.Market;

namespace CoopMarket.Deploy.Tests;

// The shapes in which the lot, request and deal grains store their state, field for field. The Orleans serializer
// writes fields by id and names no type when a value is of the type asked for, so these read what the grains wrote
// without the test seeing the grains' internals; a change of the stored shape makes the audit fail to decode, not pass.

[GenerateSerializer]
internal sealed class StoredLot
{
    [Id(0)] public LotView? View { get; set; }
}

[GenerateSerializer]
internal sealed class StoredRequest
{
    [Id(0)] public RequestView? View { get; set; }
}

[GenerateSerializer]
internal sealed class StoredDeal
{
    [Id(0)] public Deal? Deal { get; set; }
}
