namespace LlmOps.Core.Tracking;

/// <summary>Several runs' curves of the same metrics, to overlay in one chart, plus their configs side by side.</summary>
/// <param name="Metrics">The metrics compared.</param>
/// <param name="Runs">The runs with their series of those metrics.</param>
/// <param name="ConfigDifferences">Config keys whose values differ between the runs: key to one value per run (in
/// run order), so the table shows only what changed.</param>
public sealed record RunComparison(
    IReadOnlyList<string> Metrics, IReadOnlyList<RunDetails> Runs, IReadOnlyDictionary<string, IReadOnlyList<string>> ConfigDifferences);
