using System.Text.Json.Nodes;

namespace LlmOps.Core.Tracking;

/// <summary>Everything the store holds about one run.</summary>
/// <param name="Summary">The run's row.</param>
/// <param name="Config">Its configuration as JSON.</param>
/// <param name="Metrics">Each metric's series, in step order.</param>
/// <param name="Artifacts">Files it recorded.</param>
/// <param name="Notes">Free text (an error message for a failed run).</param>
/// <param name="Resumes">Each time the run was continued from a checkpoint, oldest first.</param>
/// <param name="Lineage">Its ancestors in this store, parent first: the chain of <see cref="RunSummary.ParentRun"/>
/// (an evaluation's model run, that run's base model run, ...). The last one's parent, when it has one, is in another store.</param>
public sealed record RunDetails(
    RunSummary Summary, JsonNode? Config, IReadOnlyDictionary<string, IReadOnlyList<MetricPoint>> Metrics,
    IReadOnlyList<RunArtifact> Artifacts, string? Notes, IReadOnlyList<RunResume> Resumes, IReadOnlyList<RunSummary> Lineage);
