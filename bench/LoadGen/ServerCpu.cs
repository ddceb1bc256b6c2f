using System.Diagnostics;

namespace CoopMarket.LoadGen;

/// <summary>The CPU time the server's processes (on this machine, named by <c>--server-pids</c>) have used, sampled
/// through the run, so each window gets its own server CPU per command.</summary>
/// <remarks>On a shared machine a window's throughput moves with other people's work; its CPU per command moves much
/// less, so "does a command cost more late in a long run than early" is read off this column, not off throughput.</remarks>
internal sealed class ServerCpu
{
    private static readonly TimeSpan Every = TimeSpan.FromMilliseconds(250);

    private readonly Process[] processes;
    private readonly Stopwatch run;
    private readonly List<(long Ticks, double Seconds)> samples = [];

    private ServerCpu(Process[] processes, Stopwatch run)
    {
        this.processes = processes;
        this.run = run;
    }

    /// <summary>Samples until <paramref name="stop"/> is cancelled; answers the sampler, or null when no process is named.</summary>
    public static ServerCpu? Start(IReadOnlyList<int> pids, Stopwatch run, CancellationToken stop)
    {
        if (pids.Count == 0)
        {
            return null;
        }

        var cpu = new ServerCpu([.. pids.Select(Process.GetProcessById)], run);
        cpu.Sample();
        _ = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(Every);
            while (await timer.WaitForNextTickAsync(CancellationToken.None) && !stop.IsCancellationRequested)
            {
                cpu.Sample();
            }
        }, CancellationToken.None);
        return cpu;
    }

    /// <summary>Takes one more sample: the run's end, so the last window is measured to its last command.</summary>
    public void Sample()
    {
        double seconds;
        try
        {
            seconds = processes.Sum(p =>
            {
                p.Refresh();
                return p.TotalProcessorTime.TotalSeconds;
            });
        }
        catch (InvalidOperationException)
        {
            // A server process has exited: the run's errors say so; the windows keep the samples taken before.
            return;
        }

        lock (samples)
        {
            samples.Add((run.ElapsedTicks, seconds));
        }
    }

    /// <summary>Server CPU seconds used between two points of the run (stopwatch ticks), interpolated between samples.</summary>
    public double SecondsBetween(long from, long to) => At(to) - At(from);

    private double At(long ticks)
    {
        lock (samples)
        {
            var after = samples.FindIndex(s => s.Ticks >= ticks);
            if (after <= 0)
            {
                return after == 0 ? samples[0].Seconds : samples[^1].Seconds;
            }

            var (t0, s0) = samples[after - 1];
            var (t1, s1) = samples[after];
            return s0 + (s1 - s0) * (ticks - t0) / (double)(t1 - t0);
        }
    }
}
