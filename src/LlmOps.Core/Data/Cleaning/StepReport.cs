namespace LlmOps.Core.Data.Cleaning;

/// <summary>What one step did to a corpus: how many documents came in, stayed, were removed (by rule) or rewritten,
/// its counters, and a few examples of each so a person can judge the rule.</summary>
/// <param name="Name">The step's name.</param>
/// <param name="Config">The step's settings.</param>
/// <param name="Input">Documents that reached the step.</param>
/// <param name="Kept">Documents it passed on.</param>
/// <param name="Changed">Kept documents whose text it rewrote.</param>
/// <param name="RemovedBy">Removed documents per rule.</param>
/// <param name="Counters">Counters the step recorded (PII hits by kind, lines dropped, ...).</param>
/// <param name="Examples">Examples of removed and rewritten documents, a few per rule.</param>
/// <param name="Seconds">Time spent inside the step.</param>
public sealed record StepReport(
    string Name,
    object Config,
    long Input,
    long Kept,
    long Changed,
    IReadOnlyDictionary<string, long> RemovedBy,
    IReadOnlyDictionary<string, long> Counters,
    IReadOnlyList<StepExample> Examples,
    double Seconds)
{
    /// <summary>Documents removed by the step.</summary>
    public long Removed => Input - Kept;
}
