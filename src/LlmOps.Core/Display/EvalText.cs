using System.Globalization;
using LlmOps.Core.Evaluation;

namespace LlmOps.Core.Display;

/// <summary>Evaluation results and gate verdicts as tables (console and HTML share them).</summary>
public static class EvalText
{
    /// <summary>One row per task and metric.</summary>
    public static TextTable Results(EvalReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new($"{report.Suite} on {report.Model}", ["task", "kind", "metric", "value", "items"],
            [.. report.Tasks.SelectMany(t => t.Metrics.Select(m => new[]
                { t.Task, EvalMetrics.Name(t.Kind), m.Key, EvalMetricCheck.Format(m.Value), t.Count.ToString(CultureInfo.InvariantCulture) }))]);
    }

    /// <summary>One row per check: baseline, now, delta and whether it passed.</summary>
    public static TextTable Gate(EvalGate gate)
    {
        ArgumentNullException.ThrowIfNull(gate);
        return new(gate.Passed ? "Against the baseline: passed" : $"Against the baseline: {gate.Regressions.Count()} regressed",
            ["task", "metric", "baseline", "now", "delta", "tolerance", "result"],
            [.. gate.Checks.Select(c => new[]
            {
                c.Task, c.Metric, EvalMetricCheck.Format(c.Baseline), c.Now is { } now ? EvalMetricCheck.Format(now) : "missing",
                c.Delta is { } delta ? EvalMetricCheck.Format(delta, withSign: true) : "", EvalMetricCheck.Format(c.Tolerance),
                c.Passed ? "ok" : "REGRESSED",
            })]);
    }

    /// <summary>The tables of a run: results, then the gate's when there is one, then each regression in words (what a
    /// CI log reader looks for).</summary>
    public static IReadOnlyList<TextTable> Run(EvalRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.Gate is not { } gate)
            return [Results(run.Report)];
        return gate.Passed ? [Results(run.Report), Gate(gate)]
            : [Results(run.Report), Gate(gate), new("Regressions", ["check"], [.. gate.Regressions.Select(r => new[] { r.Failure })])];
    }
}
