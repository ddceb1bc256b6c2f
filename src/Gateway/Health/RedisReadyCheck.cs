using CoopMarket.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CoopMarket.Gateway.Health;

/// <summary>In Redis mode the cluster's membership and every grain's state live in Redis: a gateway that cannot
/// reach it can answer reads from live grains, but should not be sent new traffic.</summary>
internal sealed class RedisReadyCheck(SharedRedis redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var latency = await (await redis.ConnectAsync()).GetDatabase().PingAsync().WaitAsync(cancellationToken);
            return HealthCheckResult.Healthy($"Redis answered in {latency.TotalMilliseconds:0.#} ms");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("Redis is not reachable", e);
        }
    }
}
