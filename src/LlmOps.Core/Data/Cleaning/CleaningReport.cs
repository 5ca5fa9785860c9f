namespace LlmOps.Core.Data.Cleaning;

/// <summary>The outcome of a cleaning run: per-step reports in pipeline order and the totals.</summary>
/// <param name="Steps">One report per step, in order.</param>
/// <param name="Input">Documents read.</param>
/// <param name="Output">Documents that passed every step.</param>
/// <param name="InputCharacters">Characters read.</param>
/// <param name="OutputCharacters">Characters kept.</param>
/// <param name="RejectsPath">The rejects file holding every removed document with its step and reason.</param>
/// <param name="Seconds">Wall time of the run.</param>
/// <param name="Cancelled">True when the run was cancelled before the input ended.</param>
public sealed record CleaningReport(
    IReadOnlyList<StepReport> Steps,
    long Input,
    long Output,
    long InputCharacters,
    long OutputCharacters,
    string RejectsPath,
    double Seconds,
    bool Cancelled)
{
    /// <summary>Documents removed by any step.</summary>
    public long Removed => Input - Output;
}
