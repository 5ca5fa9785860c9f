namespace LlmOps.Core.Evaluation;

/// <summary>What <c>#!eval</c> shows: the run's results and, when a baseline was given, the gate's verdict.</summary>
/// <param name="Report">The results.</param>
/// <param name="Gate">The checks against the baseline, or null without one.</param>
/// <param name="Contamination">The overlap with training files, when they were given.</param>
public sealed record EvalRun(EvalReport Report, EvalGate? Gate, ContaminationReport? Contamination = null)
{
    /// <inheritdoc/>
    public override string ToString() =>
        $"{Report.Suite} on {Report.Model}: {Report.Tasks.Count} tasks" + (Contamination is null ? "" : "\n" + Contamination) + (Gate is null ? "" : "\n" + Gate);
}
