using LlmOps.Core.Data;

namespace LlmOps.Core.Evaluation;

/// <summary>One suite <see cref="EvalSuiteBuilder"/> wrote: its file, what it holds and the manifest beside it.</summary>
/// <param name="Path">The suite file (<c>suite.json</c>).</param>
/// <param name="Suite">The suite as written (data paths relative to its folder).</param>
/// <param name="Items">Items per task, in task order.</param>
/// <param name="Manifest">The data manifest of the suite's folder.</param>
public sealed record BuiltEvalSuite(string Path, EvalSuite Suite, IReadOnlyList<int> Items, DataManifest Manifest)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Suite.Name}: {Suite.Tasks.Count} tasks, {Items.Sum()} items, manifest {Manifest.Id} ({Path})";
}
