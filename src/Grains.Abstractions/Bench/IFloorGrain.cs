namespace CoopMarket.Grains.Bench;

/// <summary>A grain that does nothing, so a load benchmark can measure the floor under every command: one HTTP request
/// through the gateway's pipeline and one grain call. The market's throughput is then read as a share of this floor,
/// measured in the same run on the same machine, which makes figures from a noisy, shared machine comparable.</summary>
public interface IFloorGrain : IGrainWithIntegerKey
{
    /// <summary>Returns at once; nothing is read or written.</summary>
    Task PingAsync();
}
