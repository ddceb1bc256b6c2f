namespace CoopMarket.Gateway.Contracts;

public sealed record DealDto(
    string Id,
    string LotId,
    string RequestId,
    string CooperativeId,
    string BuyerId,
    string Product,
    decimal QuantityKg,
    long PriceVndPerKg,
    long TransportVndPerKg,
    string Status,
    string Reason,
    DateOnly HarvestOn,
    DateOnly DeliverOn,
    DateTimeOffset MadeAt,
    bool BuyerVerified);

public sealed record MarketDto(
    string Product,
    IReadOnlyList<SupplyBandDto> OpenSupply,
    IReadOnlyList<DemandBandDto> OpenDemand,
    IReadOnlyList<TradeDto> RecentDeals);

public sealed record SupplyBandDto(string Grade, long FromVndPerKg, long ToVndPerKg, int Lots, decimal QuantityKg);

public sealed record DemandBandDto(string MinGrade, long FromVndPerKg, long ToVndPerKg, int Requests, decimal QuantityKg);

public sealed record TradeDto(long PriceVndPerKg, decimal QuantityKg, DateTimeOffset At);
