using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using LlmOps.Interactive.Documents;
using LlmOps.Interactive.Engine.Execution;
using LlmOps.Interactive.Formatting;
using LlmOps.Interactive.Stages;

namespace LlmOps.Interactive.Engine.Runner;

/// <summary>
/// Runs one notebook in this process, top to bottom, and writes its executed .ipynb and HTML report. Only the
/// notebook's own process calls it (<see cref="NotebookProcess"/>), started in the notebook's folder: cells open files
/// relative to it, as in VS Code and Jupyter, and nothing here changes the process's folder. Tests call it directly to
/// run a notebook with stages the product does not register.
/// </summary>
public static class NotebookExecution
{
    /// <summary>Runs the notebook at <paramref name="path"/> in this process with <paramref name="stages"/>'
    /// magic commands and renderers (<see cref="StageRegistry.Default"/> when null).</summary>
    public static async Task<NotebookRunResult> RunAsync(string path, NotebookRunOptions options, Action<string>? log, CancellationToken cancellationToken, StageRegistry? stages = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        stages ??= StageRegistry.Default;
        var clock = Stopwatch.StartNew();
        string name = Path.GetFileNameWithoutExtension(path);
        NotebookDocument notebook;
        try
        {
            notebook = NotebookConverter.Load(path);
            ParameterInjector.Inject(notebook, options.Parameters ?? new Dictionary<string, string>(), path);
        }
        catch (Exception e) when (e is IOException or ArgumentException or NotebookFormatException or UnauthorizedAccessException)
        {
            log?.Invoke($"[{name}] cannot run: {e.Message}");
            return new NotebookRunResult(path, null, null, [], clock.Elapsed.TotalSeconds, e.Message);
        }

        var cells = new List<CellRun>();
        var codeCells = notebook.Cells.Where(c => c.IsCode).ToList();
        bool failed = false;
        using (var session = new ScriptSession(new ScriptSessionOptions(
            stages.Commands, Path.GetDirectoryName(path)!, options.CellTimeout, new RenderContext(stages))))
        {
            foreach (var cell in codeCells)
            {
                int index = notebook.Cells.IndexOf(cell);
                cell.Outputs.Clear();
                cell.ExecutionCount = null;
                if (failed && !options.KeepGoing)
                {
                    SetRunMetadata(cell, "skipped", 0);
                    cells.Add(new CellRun(index, null, 0, null));
                    continue;
                }

                string kernel = cell.KernelName ?? notebook.DefaultKernelName;
                CellResult result = kernel is "csharp" or "C#" or "c#"
                    ? await session.RunCellAsync(cell.Source, cancellationToken: cancellationToken).ConfigureAwait(false)
                    : Unsupported(kernel);
                cell.Outputs.AddRange(result.Outputs);
                cell.ExecutionCount = result.ExecutionCount;
                string status = result.Status.ToString().ToLowerInvariant();
                SetRunMetadata(cell, status, result.Duration.TotalSeconds);
                cells.Add(new CellRun(index, result.Status, result.Duration.TotalSeconds, result.Error));
                failed |= result.Status != CellStatus.Ok;
                log?.Invoke(string.Create(CultureInfo.InvariantCulture,
                    $"[{name}] cell {codeCells.IndexOf(cell) + 1}/{codeCells.Count} {status} {result.Duration.TotalSeconds:F2}s{(result.Error is null ? "" : ": " + result.Error)}"));
            }
        }

        string executed = Path.Combine(options.OutputDirectory, name + ".ipynb");
        string report = Path.Combine(options.OutputDirectory, name + ".html");
        IpynbFormat.Save(notebook, executed);
        await HtmlReport.WriteAsync(notebook, name, report, CancellationToken.None).ConfigureAwait(false);
        return new NotebookRunResult(path, executed, report, cells, clock.Elapsed.TotalSeconds);
    }

    static CellResult Unsupported(string kernel)
    {
        string message = $"The headless runner runs C# cells only; this cell's kernel is '{kernel}'. Open the notebook in VS Code or Jupyter for other languages.";
        return new CellResult([CellOutput.Error("UnsupportedKernel", message, [message])], CellStatus.Error, TimeSpan.Zero, 0, message);
    }

    static void SetRunMetadata(NotebookCell cell, string status, double seconds) =>
        cell.Metadata["llmops"] = new JsonObject { ["status"] = status, ["duration_s"] = Math.Round(seconds, 3) };
}
