using LlmOps.Core.Display;
using LlmOps.Interactive.Documents;
using LlmOps.Interactive.Formatting;

namespace LlmOps.Interactive.Engine.Execution;

/// <summary>
/// Gathers one cell's outputs in order: stdout/stderr text (merged into the previous stream output when it is the
/// same stream, as Jupyter does), displayed values, and in-place updates, which replace the output they update,
/// so the saved notebook holds each live output's final state; <see cref="Complete"/> gives live outputs that state when
/// the cell ends (<see cref="LiveOutput.Complete"/>).
/// </summary>
sealed class CellOutputCollector(RenderContext renderContext, Action<CellOutput>? onChange, CancellationToken cancellationToken) : IDisplaySink
{
    readonly object gate = new();
    readonly List<CellOutput> outputs = [];
    readonly List<(CellOutput Output, LiveOutput Live, string[] MimeTypes)> lives = [];
    int displays;

    public CancellationToken CancellationToken { get; } = cancellationToken;

    public IReadOnlyList<CellOutput> Outputs
    {
        get { lock (gate) return [.. outputs]; }
    }

    public IDisplayHandle Show(object value)
    {
        var displayed = Display(value, []);
        return new Handle(displayed);
    }

    public DisplayedValue Display(object? value, string[] mimeTypes)
    {
        var output = new CellOutput("display_data");
        var live = new LiveOutput(renderContext);
        string id;
        lock (gate)
        {
            id = $"display-{++displays}";
            Fill(output, live.Render(value), mimeTypes);
            outputs.Add(output);
            lives.Add((output, live, mimeTypes));
        }
        onChange?.Invoke(output);
        return new DisplayedValue(id, updated =>
        {
            lock (gate)
                Fill(output, live.Render(updated), mimeTypes);
            onChange?.Invoke(output);
        });
    }

    /// <summary>The cell has ended: each live output takes its final state (the one that carried plotly.js gets it
    /// back after updates that left it out).</summary>
    public void Complete()
    {
        List<CellOutput> changed = [];
        lock (gate)
        {
            foreach (var (output, live, mimeTypes) in lives)
            {
                if (live.Complete() is { } final)
                {
                    Fill(output, final.Bundle, mimeTypes);
                    changed.Add(output);
                }
            }
            lives.Clear();
        }
        foreach (var output in changed)
            onChange?.Invoke(output);
    }

    public void AddResult(object? value, int executionCount)
    {
        var output = new CellOutput("execute_result") { ExecutionCount = executionCount };
        lock (gate)
        {
            Fill(output, MimeRenderer.Render(value, renderContext), []);
            outputs.Add(output);
        }
        onChange?.Invoke(output);
    }

    public void AddError(CellOutput error)
    {
        lock (gate)
            outputs.Add(error);
        onChange?.Invoke(error);
    }

    public void Write(string stream, string text)
    {
        if (text.Length == 0)
            return;
        CellOutput output;
        lock (gate)
        {
            if (outputs.Count > 0 && outputs[^1].OutputType == "stream" && outputs[^1].Name == stream)
            {
                output = outputs[^1];
                output.Text += text;
            }
            else
            {
                output = CellOutput.Stream(stream, text);
                outputs.Add(output);
            }
        }
        onChange?.Invoke(output);
    }

    // Rendering (and the rule for the document's one copy of plotly.js) is LiveOutput's, shared with the
    // kernel's display sink; here the bundle only becomes nbformat data.
    static void Fill(CellOutput output, IReadOnlyList<KeyValuePair<string, string>> bundle, string[] mimeTypes)
    {
        output.Data.Clear();
        foreach (var (mime, content) in bundle)
            if (mimeTypes.Length == 0 || mimeTypes.Contains(mime, StringComparer.Ordinal) || mime == "text/plain")
                output.Data[mime] = MimeRenderer.IsJson(mime) ? System.Text.Json.Nodes.JsonNode.Parse(content) : content;
    }

    sealed class Handle(DisplayedValue displayed) : IDisplayHandle
    {
        public void Update(object value) => displayed.Update(value);
    }
}
