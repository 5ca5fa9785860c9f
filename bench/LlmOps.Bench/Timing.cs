using System.Diagnostics;

namespace LlmOps.Bench;

/// <summary>The one way benchmarks time work: run it several times and keep the fastest (the least disturbed by
/// whatever else the machine is doing), returning the last result so callers can check it.</summary>
static class Timing
{
    public static (double Seconds, T Result) Best<T>(int repeats, Func<T> run)
    {
        double best = double.MaxValue;
        T result = default!;
        for (int i = 0; i < Math.Max(1, repeats); i++)
        {
            long start = Stopwatch.GetTimestamp();
            result = run();
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalSeconds);
        }
        return (best, result);
    }
}
