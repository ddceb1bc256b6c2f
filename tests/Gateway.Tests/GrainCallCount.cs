using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace CoopMarket.Gateway.Tests;

/// <summary>Counts the grain calls one HTTP request makes, for tests that hold the platform to a number of calls per
/// command. A request that carries <see cref="Header"/> is a scope: the calls the gateway makes while serving it, and
/// every grain call anywhere that the request's context reaches (the market's projection included).</summary>
/// <remarks>Only requests with the header are counted, so the other tests sharing the platform pay nothing for it.</remarks>
public static class GrainCallCount
{
    public const string Header = "x-test-grain-call-scope";
    private const string ScopeKey = "coopmarket-test-call-scope";

    private static readonly AsyncLocal<ConcurrentQueue<string>?> GatewayCalls = new();
    private static readonly ConcurrentDictionary<string, ConcurrentQueue<string>> ByGateway = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, ConcurrentQueue<string>> Everywhere = new(StringComparer.Ordinal);

    /// <summary>The calls the gateway's own code made for the request of <paramref name="scope"/>, as <c>IGrain.Method</c>, sorted.</summary>
    public static IReadOnlyList<string> FromGateway(string scope) => Sorted(ByGateway, scope);

    /// <summary>Every grain call made on behalf of the request of <paramref name="scope"/>, the gateway's included, sorted.</summary>
    public static IReadOnlyList<string> Total(string scope) => Sorted(Everywhere, scope);

    internal static void AddTo(IServiceCollection services)
    {
        services.AddSingleton<IStartupFilter, ScopeEachRequest>();
        services.AddSingleton<IOutgoingGrainCallFilter, GatewayFilter>();
        services.AddSingleton<IIncomingGrainCallFilter, EverywhereFilter>();
    }

    private static IReadOnlyList<string> Sorted(ConcurrentDictionary<string, ConcurrentQueue<string>> calls, string scope) =>
        calls.TryGetValue(scope, out var list) ? [.. list.Order(StringComparer.Ordinal)] : [];

    /// <summary>The grain's type and the method, e.g. <c>buyer.GetAccountAsync</c>: a method of a shared interface names
    /// the kind of grain that took it.</summary>
    private static string Name(IGrainCallContext call) => $"{call.TargetId.Type}.{call.MethodName}";

    private sealed class ScopeEachRequest : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, nextMiddleware) =>
            {
                if (context.Request.Headers[Header].ToString() is { Length: > 0 } scope)
                {
                    // The gateway's calls are told apart by this request's own flow; the grains' by the request context
                    // that Orleans carries from call to call.
                    GatewayCalls.Value = ByGateway.GetOrAdd(scope, _ => new());
                    RequestContext.Set(ScopeKey, scope);
                }

                await nextMiddleware(context);
            });
            next(app);
        };
    }

    private sealed class GatewayFilter : IOutgoingGrainCallFilter
    {
        public Task Invoke(IOutgoingGrainCallContext context)
        {
            GatewayCalls.Value?.Enqueue(Name(context));
            return context.Invoke();
        }
    }

    private sealed class EverywhereFilter : IIncomingGrainCallFilter
    {
        public Task Invoke(IIncomingGrainCallContext context)
        {
            if (RequestContext.Get(ScopeKey) is string scope)
            {
                Everywhere.GetOrAdd(scope, _ => new()).Enqueue(Name(context));
            }

            return context.Invoke();
        }
    }
}
