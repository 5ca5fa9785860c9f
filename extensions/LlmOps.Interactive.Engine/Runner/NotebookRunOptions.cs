using LlmOps.Interactive.Stages;

namespace LlmOps.Interactive.Engine.Runner;

/// <summary>What <c>llmops notebook run</c> was asked to do.</summary>
/// <param name="Inputs">Notebook files (.ipynb, .dib) or folders (every notebook directly inside, in name order).</param>
/// <param name="OutputDirectory">Where executed notebooks, HTML reports and junit.xml go.</param>
/// <param name="Parameters">papermill-style overrides for variables declared in the cell tagged <c>parameters</c>.</param>
/// <param name="CellTimeout">Per-cell limit; null for none.</param>
/// <param name="KeepGoing">Run the remaining cells after a failure instead of stopping the notebook there.</param>
/// <param name="Stages">The stages whose magic commands and renderers the notebooks use; <see cref="StageRegistry.Default"/> when null.</param>
public sealed record NotebookRunOptions(
    IReadOnlyList<string> Inputs,
    string OutputDirectory,
    IReadOnlyDictionary<string, string>? Parameters = null,
    TimeSpan? CellTimeout = null,
    bool KeepGoing = false,
    StageRegistry? Stages = null);
