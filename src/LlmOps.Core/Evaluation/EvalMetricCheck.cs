using System.Globalization;

namespace LlmOps.Core.Evaluation;

/// <summary>One metric of one task held against its baseline.</summary>
/// <param name="Task">The task.</param>
/// <param name="Metric">The metric.</param>
/// <param name="Baseline">The baseline's value.</param>
/// <param name="Now">This run's value; null when this run lacks the task or metric (which fails).</param>
/// <param name="Tolerance">How far it may get worse (absolute).</param>
/// <param name="LowerIsBetter">True for perplexities and bits per byte, where getting worse means going up.</param>
public sealed record EvalMetricCheck(string Task, string Metric, double Baseline, double? Now, double Tolerance, bool LowerIsBetter)
{
    /// <summary>Now minus baseline (null when missing).</summary>
    public double? Delta => Now - Baseline;

    /// <summary>How much worse than the baseline (positive: worse), whatever the metric's direction.</summary>
    public double? Worsening => LowerIsBetter ? Delta : -Delta;

    /// <summary>Present and not worse than the baseline by more than the tolerance.</summary>
    public bool Passed => Worsening is { } w && !double.IsNaN(w) && w <= Tolerance;

    /// <summary>What failed, in one line (empty when it passed).</summary>
    public string Failure => Passed ? "" : Now is null
        ? $"{Task}/{Metric}: missing from this run (baseline {Format(Baseline)})"
        : $"{Task}/{Metric}: {(LowerIsBetter ? "rose" : "dropped")} from {Format(Baseline)} to {Format(Now.Value)} (delta {Format(Delta!.Value, withSign: true)}, tolerance {Format(Tolerance)})";

    /// <summary>A number as results print it.</summary>
    public static string Format(double value, bool withSign = false) =>
        value.ToString(withSign ? "+0.######;-0.######;0" : "0.######", CultureInfo.InvariantCulture);
}
