namespace CoopMarket.Grains.Bench;

/// <summary>No state and no work: whatever a call to it costs is the cost of Orleans and the gateway alone.</summary>
/// <remarks>One activation (key 0) serves every call, as one market grain serves every command of its product, so the
/// floor pays the same single-activation scheduling the market does and not less.</remarks>
internal sealed class FloorGrain : Grain, IFloorGrain
{
    Task IFloorGrain.PingAsync() => Task.CompletedTask;
}
