using Orleans.Runtime;

namespace CoopMarket.Hosting;

/// <summary>Whether this process has joined the cluster: set once the Orleans client has connected (or the co-hosted
/// silo has started). A gateway in Redis mode serves HTTP before then — live but not ready — instead of refusing
/// every connection while a crashed cluster comes back.</summary>
public sealed class ClusterConnection : ILifecycleParticipant<IClusterClientLifecycle>, ILifecycleParticipant<ISiloLifecycle>
{
    private readonly TaskCompletionSource joined = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool IsJoined => joined.Task.IsCompleted;

    public Task WaitAsync(CancellationToken cancellation) => joined.Task.WaitAsync(cancellation);

    void ILifecycleParticipant<IClusterClientLifecycle>.Participate(IClusterClientLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(ClusterConnection), ServiceLifecycleStage.Active, OnJoined);

    void ILifecycleParticipant<ISiloLifecycle>.Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(ClusterConnection), ServiceLifecycleStage.Active, OnJoined);

    private Task OnJoined(CancellationToken cancellation)
    {
        joined.TrySetResult();
        return Task.CompletedTask;
    }
}
