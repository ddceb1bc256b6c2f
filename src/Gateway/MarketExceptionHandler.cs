using CoopMarket.Grains.Market;
using Microsoft.AspNetCore.Diagnostics;

namespace CoopMarket.Gateway;

/// <summary>Turns what can go wrong below the API into honest answers: a body the framework could not read is the
/// client's 4xx, a cluster that is failing over is a 503 to retry, and only a real bug stays a 500.</summary>
internal sealed class MarketExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    private const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title) = exception switch
        {
            BadHttpRequestException bad => (bad.StatusCode, "The request could not be read"),
            ArgumentException => (StatusCodes.Status400BadRequest, "The market's rules refuse this request"),
            _ when Apis.TransientRetry.IsTransient(exception) => (StatusCodes.Status503ServiceUnavailable, "The market is briefly unavailable"),
            // Cancelled by the cluster, not by the client: a silo cuts an activation short while the cluster is still
            // settling after a crash, and the call fails with it. Retrying later with the idempotency key is safe.
            OperationCanceledException when !context.RequestAborted.IsCancellationRequested
                => (StatusCodes.Status503ServiceUnavailable, "The market is briefly unavailable"),
            _ => (0, ""),
        };
        if (status == 0)
        {
            return false;
        }

        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        context.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = { Status = status, Title = title, Detail = status < 500 ? exception.Message : null },
        });
    }
}
