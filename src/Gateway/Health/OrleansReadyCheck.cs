using CoopMarket.Grains.Catalog;
using CoopMarket.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CoopMarket.Gateway.Health;

/// <summary>Ready once a real grain call succeeds and the catalog is there: a process that is up may still be
/// joining the cluster, and a load balancer should not send it buyers before then.</summary>
internal sealed class OrleansReadyCheck(IGrainFactory grains, ClusterConnection connection) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!connection.IsJoined)
        {
            return HealthCheckResult.Unhealthy("Still joining the cluster");
        }

        try
        {
            var products = await grains.GetGrain<ICatalogGrain>(ICatalogGrain.Key).ListAsync().WaitAsync(cancellationToken);
            return products.Count > 0
                ? HealthCheckResult.Healthy($"{products.Count} products in the catalog")
                : HealthCheckResult.Unhealthy("The catalog is not seeded yet");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("Orleans is not reachable", e);
        }
    }
}
