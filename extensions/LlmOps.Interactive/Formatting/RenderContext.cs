using LlmOps.Interactive.Stages;

namespace LlmOps.Interactive.Formatting;

/// <summary>
/// Rendering state of one document (one notebook run, one kernel session): whether plotly.js has been written into
/// it yet, and a counter for element ids so an executed notebook is the same every time it is run. Create one per
/// document; never share one between documents. It also names the stages whose renderers the document uses.
/// </summary>
/// <param name="stages">The stages whose renderers apply (default: <see cref="StageRegistry.Default"/>).</param>
public sealed class RenderContext(StageRegistry? stages = null)
{
    int nextId;

    /// <summary>The stages whose renderers this document uses.</summary>
    public StageRegistry Stages { get; } = stages ?? StageRegistry.Default;

    /// <summary>Whether plotly.js has been written into this document (it is written once, with the first chart).</summary>
    public bool PlotlyJsEmitted { get; set; }

    /// <summary>A fresh element id, unique in this document: <c>llmops-{kind}-{n}</c>.</summary>
    public string NextId(string kind) => $"llmops-{kind}-{Interlocked.Increment(ref nextId)}";
}
