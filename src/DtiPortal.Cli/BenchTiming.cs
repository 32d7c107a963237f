using System.Diagnostics;
using System.Globalization;

namespace DtiPortal.Cli;

/// <summary>Timing and the one-line report every `dti bench …` command prints (docs/benchmarks.md).</summary>
internal static class BenchTiming
{
    /// <summary>Runs <paramref name="action"/> <paramref name="warmUp"/> times untimed, then <paramref name="count"/> times timed
    /// (milliseconds). <paramref name="before"/>, when given, runs before each call and is not timed.</summary>
    public static async Task<List<double>> TimeAsync(int warmUp, int count, Func<Task> action, Func<Task>? before = null)
    {
        for (var i = 0; i < warmUp; i++)
        {
            if (before is not null) await before();
            await action();
        }
        var times = new List<double>(count);
        for (var i = 0; i < count; i++)
        {
            if (before is not null) await before();
            var sw = Stopwatch.StartNew();
            await action();
            times.Add(sw.Elapsed.TotalMilliseconds);
        }
        return times;
    }

    /// <summary>"what: n=… p50=… ms p95=… ms max=… ms — mục tiêu p95 &lt; T ms: ĐẠT|CHƯA ĐẠT" (nearest-rank percentiles).</summary>
    public static void Report(string what, List<double> times, double targetP95)
    {
        times.Sort();
        double P(double q) => times[Math.Clamp((int)Math.Ceiling(q * times.Count) - 1, 0, times.Count - 1)];
        var p95 = P(0.95);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what}: n={times.Count} p50={P(0.5):0.0} ms p95={p95:0.0} ms max={times[^1]:0.0} ms — mục tiêu p95 < {targetP95} ms: {(p95 < targetP95 ? "ĐẠT" : "CHƯA ĐẠT")}"));
    }
}
