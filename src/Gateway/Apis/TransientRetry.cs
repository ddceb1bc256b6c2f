using CoopMarket.Grains.Market;

namespace CoopMarket.Gateway.Apis;

/// <summary>Retries a call that may safely run twice — a read, a delete, or a POST with an idempotency key — when
/// the cluster is briefly unreachable (a silo just died, a market is reloading). The attempts are few and short:
/// past them the client gets a 503 with Retry-After from <see cref="MarketExceptionHandler"/>.</summary>
internal sealed class TransientRetry : IEndpointFilter
{
    private static readonly TimeSpan[] Delays = [TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(800), TimeSpan.FromSeconds(2)];

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var request = context.HttpContext.Request;
        var repeatable = !HttpMethods.IsPost(request.Method) || request.Headers.ContainsKey(Idempotency.Header);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await next(context);
            }
            catch (Exception e) when (repeatable && attempt < Delays.Length && IsTransient(e))
            {
                await Task.Delay(Delays[attempt], context.HttpContext.RequestAborted);
            }
        }
    }

    /// <summary>Failures that pass: a silo or Redis unreachable, a call timed out, a market reloading.</summary>
    public static bool IsTransient(Exception e) =>
        e is MarketReloadingException or TimeoutException or OrleansException
            or StackExchange.Redis.RedisException or Orleans.Persistence.Redis.RedisStorageException
        || e.InnerException is { } inner && IsTransient(inner);
}
