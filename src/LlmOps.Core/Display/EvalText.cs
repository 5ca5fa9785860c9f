using System.Globalization;
using LlmOps.Core.Evaluation;

namespace LlmOps.Core.Display;

/// <summary>Evaluation results and gate verdicts as tables (console and HTML share them).</summary>
public static class EvalText
{
    /// <summary>One row per task and metric; an errors column when some item could not be scored.</summary>
    public static TextTable Results(EvalReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        bool errors = report.Tasks.Any(t => t.Errors > 0);
        string[] columns = errors ? ["task", "kind", "metric", "value", "items", "tokens/s", "errors"] : ["task", "kind", "metric", "value", "items", "tokens/s"];
        return new($"{report.Suite} on {report.Model}", columns,
            [.. report.Tasks.SelectMany(t => t.Metrics.Select(m => new[]
                {
                    t.Task, EvalMetrics.Name(t.Kind), m.Key, EvalMetricCheck.Format(m.Value), t.Count.ToString(CultureInfo.InvariantCulture),
                    t.TokensPerSecond?.ToString("0.#", CultureInfo.InvariantCulture) ?? "", t.Errors.ToString(CultureInfo.InvariantCulture),
                }[..columns.Length]))]);
    }

    /// <summary>The items that could not be scored, each with its error (endpoint failures, unreadable judge answers).</summary>
    public static TextTable Errors(EvalReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new($"{report.Tasks.Sum(t => t.Errors)} item(s) not scored", ["task", "line", "error"],
            [.. report.Tasks.SelectMany(t => t.Items.Where(i => i.Error is not null)
                .Select(i => new[] { t.Task, i.Line.ToString(CultureInfo.InvariantCulture), i.Error! }))]);
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
        List<TextTable> tables = [Results(run.Report)];
        if (run.Report.Tasks.Any(t => t.Errors > 0))
            tables.Add(Errors(run.Report));
        if (run.Contamination is { } contamination)
            tables.Add(Contamination(contamination));
        if (run.Gate is { } gate)
        {
            tables.Add(Gate(gate));
            if (!gate.Passed)
                tables.Add(new("Regressions", ["check"], [.. gate.Regressions.Select(r => new[] { r.Failure })]));
        }
        return tables;
    }

    /// <summary>The contaminated items with the n-gram that gave each away.</summary>
    public static TextTable Contamination(ContaminationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new(report.ToString(), ["task", "line", $"shared {report.N}-gram"],
            [.. report.Items.Select(i => new[] { i.Task, i.Line.ToString(CultureInfo.InvariantCulture), i.NGram })]);
    }

    /// <summary>The board: one row per model (best average first), a column per task/metric; when results carry
    /// lineage, the model's training run and data manifest and the evaluation run last.</summary>
    public static TextTable Board(Leaderboard board)
    {
        ArgumentNullException.ThrowIfNull(board);
        bool lineage = board.Rows.Any(r => r.Lineage is not null);
        return new("Leaderboard", ["model", "parameters", "tokens/s", .. board.Columns, "average", .. lineage ? LineageColumns : []],
            [.. board.Rows.Select(r => (string[])[
                r.Model, r.Parameters?.ToString("N0", CultureInfo.InvariantCulture) ?? "",
                r.TokensPerSecond?.ToString("0.#", CultureInfo.InvariantCulture) ?? "",
                .. board.Columns.Select(c => r.Values.TryGetValue(c, out double v) ? EvalMetricCheck.Format(v) : ""),
                r.Average is { } average ? EvalMetricCheck.Format(average) : "",
                .. lineage ? [r.Lineage?.ModelRun ?? "", r.Lineage?.TrainingData ?? "", r.Lineage?.EvalRun ?? ""] : Array.Empty<string>()])]);
    }

    static readonly string[] LineageColumns = ["model run", "training data", "eval run"];

    /// <summary>The paired-bootstrap comparisons: difference (A - B), 95% interval, p-value.</summary>
    public static TextTable Comparisons(Leaderboard board)
    {
        ArgumentNullException.ThrowIfNull(board);
        return new("Paired bootstrap (A - B, 95% interval)", ["task", "metric", "A", "B", "difference", "95% interval", "p", "significant"],
            [.. board.Comparisons.Select(c => new[]
            {
                c.Task, c.Metric, c.ModelA, c.ModelB, EvalMetricCheck.Format(c.Result.Difference, withSign: true),
                $"[{EvalMetricCheck.Format(c.Result.Lower)}, {EvalMetricCheck.Format(c.Result.Upper)}]",
                c.Result.PValue.ToString("0.###", CultureInfo.InvariantCulture), c.Result.Significant ? "yes" : "no",
            })]);
    }

    /// <summary>The Bradley-Terry ratings with their bootstrap intervals.</summary>
    public static TextTable Ratings(Leaderboard board)
    {
        ArgumentNullException.ThrowIfNull(board);
        return new("Bradley-Terry (log strength, 95% interval)", ["model", "score", "95% interval"],
            [.. board.Ratings.Select(r => new[] { r.Name, EvalMetricCheck.Format(Math.Round(r.Score, 4)),
                $"[{EvalMetricCheck.Format(Math.Round(r.Lower, 4))}, {EvalMetricCheck.Format(Math.Round(r.Upper, 4))}]" })]);
    }

    /// <summary>The board's tables: the board, then comparisons and ratings when there are any.</summary>
    public static IReadOnlyList<TextTable> Leaderboard(Leaderboard board)
    {
        ArgumentNullException.ThrowIfNull(board);
        List<TextTable> tables = [Board(board)];
        if (board.Comparisons.Count > 0)
            tables.Add(Comparisons(board));
        if (board.Ratings.Count > 0)
            tables.Add(Ratings(board));
        return tables;
    }

    /// <summary>A built suite: one row per task with its kind, items, metrics and data file.</summary>
    public static TextTable Suite(BuiltEvalSuite built)
    {
        ArgumentNullException.ThrowIfNull(built);
        return new(built.ToString(), ["task", "kind", "items", "metrics", "data"],
            [.. built.Suite.Tasks.Zip(built.Items, (t, n) => new[]
                { t.Name, EvalMetrics.Name(t.Kind), n.ToString(CultureInfo.InvariantCulture), string.Join(", ", t.Metrics.Select(EvalMetrics.Name)), t.Data })]);
    }
}
