using LlmOps.Core.Data.Mixing;

namespace LlmOps.Core.Data.Cleaning;

/// <summary>What a cleaning job did and wrote.</summary>
/// <param name="Report">Per-step counts and examples.</param>
/// <param name="Manifest">The run manifest (also written as <c>manifest.json</c>); later artifacts name its id.</param>
/// <param name="Files">Output files by role: clean (or train, validation, test), rejects, report, manifest.</param>
/// <param name="Split">The split, when the job asked for one.</param>
public sealed record CleaningJobResult(CleaningReport Report, DataManifest Manifest, IReadOnlyDictionary<string, string> Files, DataSplit? Split);
