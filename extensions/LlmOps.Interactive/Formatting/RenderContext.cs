namespace LlmOps.Interactive.Formatting;

/// <summary>Per-document rendering state (placeholder until the formatters land).</summary>
public sealed class RenderContext
{
    /// <summary>Whether plotly.js has been written into this document.</summary>
    public bool PlotlyJsEmitted { get; set; }
}
