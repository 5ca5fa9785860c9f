namespace LlmOps.Interactive.Engine.Runner;

/// <summary>The outcome of running one notebook.</summary>
/// <param name="Source">The notebook that was run.</param>
/// <param name="ExecutedNotebook">The executed .ipynb written (outputs, execution counts, timing metadata).</param>
/// <param name="HtmlReport">The standalone HTML report written.</param>
/// <param name="Cells">Every code cell's run, in order.</param>
/// <param name="Seconds">Wall time for the whole notebook.</param>
/// <param name="Error">Why the notebook could not even start (unreadable file, bad parameter), or null.</param>
public sealed record NotebookRunResult(
    string Source,
    string? ExecutedNotebook,
    string? HtmlReport,
    IReadOnlyList<CellRun> Cells,
    double Seconds,
    string? Error = null)
{
    /// <summary>True when the notebook started and no cell failed.</summary>
    public bool Succeeded => Error is null && Cells.All(c => c.Status is null or Execution.CellStatus.Ok) && Cells.All(c => c.Status is not null);

    /// <summary>The first failing cell's error, or the start-up error.</summary>
    public string? FirstError => Error ?? Cells.FirstOrDefault(c => c.Error is not null)?.Error;
}
