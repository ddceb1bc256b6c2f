using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace CoopMarket.LoadGen;

/// <summary>One finished command: when it ended (stopwatch ticks since the run began), how long it took, and its status
/// (0 when no HTTP answer came: a timeout or a refused connection).</summary>
internal readonly record struct Completion(long EndTicks, double Milliseconds, int Status);

/// <summary>The run cut into ten windows of 10 % of its commands each, in the order they finished.</summary>
/// <remarks>Windows by command count rather than by time, so a run that slows down still gets ten windows of equal
/// work, and "the last 10 % at ≥ 90 % of the first" reads directly off the table.</remarks>
internal sealed class Windows
{
    private const int Parts = 10;

    public Windows(IReadOnlyList<Completion> completions, ServerCpu? cpu = null)
    {
        var ordered = completions.OrderBy(c => c.EndTicks).ToArray();
        Total = ordered.Length;
        Seconds = ordered.Length == 0 ? 0 : ordered[^1].EndTicks / (double)Stopwatch.Frequency;
        ErrorsByStatus = ordered.Where(c => c.Status is < 200 or >= 300).GroupBy(c => c.Status).OrderBy(g => g.Key)
            .ToDictionary(g => g.Key, g => g.Count());
        var start = 0L;
        for (var w = 0; w < Parts && ordered.Length >= Parts; w++)
        {
            var slice = ordered[(int)((long)ordered.Length * w / Parts)..(int)((long)ordered.Length * (w + 1) / Parts)];
            var end = slice[^1].EndTicks;
            var latencies = slice.Select(c => c.Milliseconds).Order().ToArray();
            Rows.Add(new Row(w + 1, slice.Length, slice.Length / ((end - start) / (double)Stopwatch.Frequency),
                Percentile(latencies, 0.50), Percentile(latencies, 0.99), slice.Count(c => c.Status is < 200 or >= 300),
                cpu is null ? null : 1000 * cpu.SecondsBetween(start, end) / slice.Length));
            start = end;
        }
    }

    /// <param name="ServerCpuMs">The server's CPU milliseconds per command in this window, when its processes were named.</param>
    public sealed record Row(int Window, int Commands, double PerSecond, double P50, double P99, int Errors, double? ServerCpuMs);

    public List<Row> Rows { get; } = [];
    public int Total { get; }
    public double Seconds { get; }
    public Dictionary<int, int> ErrorsByStatus { get; }

    public double Throughput => Seconds > 0 ? Total / Seconds : 0;

    /// <summary>The median of the windows' throughputs: robust against one window that another engineer's build slowed.</summary>
    public double MedianWindow => Rows.Count == 0 ? 0 : Percentile([.. Rows.Select(r => r.PerSecond).Order()], 0.5);

    /// <summary>Last window's throughput over the first's: 1 means no decay; the goal is ≥ 0.9.</summary>
    public double LastOverFirst => Rows.Count == 0 ? 0 : Rows[^1].PerSecond / Rows[0].PerSecond;

    /// <summary>Server CPU per command in the last window over the median window's: above 1, a command costs more late
    /// in the run than it typically did. Against the median, not the first window, which pays for warming up.</summary>
    public double? CpuLastOverMedian => Rows.Count == 0 || Rows[^1].ServerCpuMs is not { } last ? null
        : last / Percentile([.. Rows.Select(r => r.ServerCpuMs!.Value).Order()], 0.5);

    public string Table()
    {
        var text = new StringBuilder();
        var withCpu = Rows.Any(r => r.ServerCpuMs is not null);
        text.AppendLine(CultureInfo.InvariantCulture, $"| window | commands | per s | p50 ms | p99 ms | errors |{(withCpu ? " server CPU ms per command |" : "")}");
        text.AppendLine(CultureInfo.InvariantCulture, $"|---:|---:|---:|---:|---:|---:|{(withCpu ? "---:|" : "")}");
        foreach (var r in Rows)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Window * 10} % | {r.Commands:N0} | {r.PerSecond:N0} | {r.P50:N1} | {r.P99:N1} | {r.Errors:N0} |{(withCpu ? $" {r.ServerCpuMs:N3} |" : "")}");
        }

        return text.ToString();
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}
