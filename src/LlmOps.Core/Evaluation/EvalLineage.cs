using LlmOps.Core.Data;
using LlmOps.Core.Modeling;
using LlmOps.Core.Training;

namespace LlmOps.Core.Evaluation;

/// <summary>Where an evaluation's parts came from, so a leaderboard row walks back data -> run -> model -> eval: the
/// checkpoint, the training run that wrote it and the data that run read, the suite and its data.</summary>
/// <param name="Model">The checkpoint folder evaluated (full path).</param>
/// <param name="ModelRun">The run store id of the training run that wrote the checkpoint (its <c>trainer.json</c>
/// names it), when it was tracked.</param>
/// <param name="TrainingData">The content id of the model's training data manifest (the checkpoint's metadata), when known.</param>
/// <param name="Suite">The suite file (full path).</param>
/// <param name="SuiteData">The content id of the suite's data manifest: the <c>manifest.json</c> beside the suite when
/// there is one, else one computed from the suite and its data files (<see cref="SuiteManifestId"/>).</param>
/// <param name="EvalRun">The run store id of this evaluation, once it is recorded.</param>
public sealed record EvalLineage(string Model, string? ModelRun, string? TrainingData, string Suite, string? SuiteData, string? EvalRun = null)
{
    /// <summary>The lineage of an evaluation of the checkpoint in <paramref name="checkpointFolder"/> (whose metadata
    /// is <paramref name="metadata"/>) on the suite at <paramref name="suitePath"/>.</summary>
    /// <exception cref="InvalidDataException">The checkpoint's <c>trainer.json</c> or the suite's manifest is corrupt.</exception>
    public static EvalLineage Of(string suitePath, EvalSuite suite, string checkpointFolder, CheckpointMetadata metadata)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(suitePath);
        ArgumentNullException.ThrowIfNull(suite);
        ArgumentException.ThrowIfNullOrWhiteSpace(checkpointFolder);
        ArgumentNullException.ThrowIfNull(metadata);
        // A trainer's step folder holds trainer.json; its last run id is the record the training wrote last.
        string state = Path.Combine(checkpointFolder, TrainerState.FileName);
        string? modelRun = File.Exists(state) && TrainerState.Load(state).RunIds is [.., var last] ? last : null;
        return new EvalLineage(Path.GetFullPath(checkpointFolder), modelRun, metadata.DataManifestId, Path.GetFullPath(suitePath), SuiteManifestId(suitePath, suite));
    }

    /// <summary>The suite's data manifest id: that of the <c>manifest.json</c> beside the suite, else a content id of
    /// the suite file and its tasks' data files (by their paths relative to the suite, so a moved copy keeps its id).</summary>
    public static string SuiteManifestId(string suitePath, EvalSuite suite)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(suitePath);
        ArgumentNullException.ThrowIfNull(suite);
        string folder = Path.GetDirectoryName(Path.GetFullPath(suitePath))!;
        string beside = Path.Combine(folder, DataManifest.FileName);
        if (File.Exists(beside))
            return DataManifest.Load(beside).Id;
        var files = suite.Tasks.Select(t => t.Data).Prepend(suitePath).Select(Path.GetFullPath).Distinct(StringComparer.Ordinal)
            .Select(path => ManifestFile.Of(path) with { Path = Path.GetRelativePath(folder, path).Replace('\\', '/') }).ToList();
        return DataManifest.Create("eval-suite", files, null, [], []).Id;
    }
}
