namespace LlmOps.Core.Evaluation;

/// <summary>A run held against a baseline run of the same suite: every metric the baseline has must be present and no
/// worse than the tolerance allows. Metrics only this run has are new and not checked.</summary>
/// <param name="Checks">One check per baseline task and metric, in the baseline's order.</param>
public sealed record EvalGate(IReadOnlyList<EvalMetricCheck> Checks)
{
    /// <summary>True when every check passed.</summary>
    public bool Passed => Checks.All(c => c.Passed);

    /// <summary>The checks that failed.</summary>
    public IEnumerable<EvalMetricCheck> Regressions => Checks.Where(c => !c.Passed);

    /// <summary>Checks <paramref name="now"/> against <paramref name="baseline"/>.</summary>
    /// <param name="now">This run.</param>
    /// <param name="baseline">The run to hold it to.</param>
    /// <param name="tolerance">How far (absolute) a metric may get worse before it fails; perplexities fail on rising.</param>
    public static EvalGate Check(EvalReport now, EvalReport baseline, double tolerance = 0)
    {
        ArgumentNullException.ThrowIfNull(now);
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentOutOfRangeException.ThrowIfNegative(tolerance);
        return new([.. baseline.Tasks.SelectMany(t => t.Metrics.Select(m =>
            new EvalMetricCheck(t.Task, m.Key, m.Value, now.Value(t.Task, m.Key), tolerance, EvalMetrics.LowerIsBetter(m.Key))))]);
    }

    /// <inheritdoc/>
    public override string ToString() => Passed
        ? $"Passed: {Checks.Count} metrics no worse than the baseline."
        : $"Failed: {Regressions.Count()} of {Checks.Count} metrics regressed.\n" + string.Join("\n", Regressions.Select(r => "  " + r.Failure));
}
