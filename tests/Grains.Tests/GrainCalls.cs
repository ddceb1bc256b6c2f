using System.Collections.Concurrent;

namespace CoopMarket.Grains.Tests;

/// <summary>How many calls each grain of the test cluster took, by method: for tests of what must not be called.</summary>
/// <remarks>Silos of the test cluster run in this process, so their call filter counts into this static registry.</remarks>
public static class GrainCalls
{
    private static readonly ConcurrentDictionary<(GrainId Grain, string Method), int> Counts = new();

    public static int Of(GrainId grain, string method) => Counts.GetValueOrDefault((grain, method));

    internal static Task CountAsync(IIncomingGrainCallContext context)
    {
        Counts.AddOrUpdate((context.TargetId, context.MethodName), 1, (_, n) => n + 1);
        return context.Invoke();
    }
}
