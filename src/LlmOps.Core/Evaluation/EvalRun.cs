namespace LlmOps.Core.Evaluation;

/// <summary>What <c>#!eval</c> shows: the run's results and, when a baseline was given, the gate's verdict.</summary>
/// <param name="Report">The results.</param>
/// <param name="Gate">The checks against the baseline, or null without one.</param>
public sealed record EvalRun(EvalReport Report, EvalGate? Gate)
{
    /// <inheritdoc/>
    public override string ToString() =>
        $"{Report.Suite} on {Report.Model}: {Report.Tasks.Count} tasks" + (Gate is null ? "" : "\n" + Gate);
}
