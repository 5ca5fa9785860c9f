using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using LlmOps.Interactive.Stages;
using LlmOps.Interactive.Documents;
using LlmOps.Interactive.Engine.Execution;
using LlmOps.Interactive.Formatting;

namespace LlmOps.Interactive.Engine.Runner;

/// <summary>
/// The headless runner CI uses: executes notebooks top to bottom without a kernel, and writes each executed notebook
/// (.ipynb with outputs, execution counts and per-cell timing), a standalone HTML report, and one junit.xml.
/// A notebook stops at its first failing cell (the rest are marked skipped) unless <see cref="NotebookRunOptions.KeepGoing"/>.
/// </summary>
public sealed class NotebookRunner(NotebookRunOptions options)
{
    /// <summary>The notebook file extensions the runner reads.</summary>
    public static readonly IReadOnlyList<string> Extensions = [".ipynb", ".dib"];

    /// <summary>Runs every input notebook in order; <paramref name="log"/> receives one line per cell as it finishes.</summary>
    public async Task<IReadOnlyList<NotebookRunResult>> RunAsync(Action<string>? log = null, CancellationToken cancellationToken = default)
    {
        var notebooks = Expand(options.Inputs);
        Directory.CreateDirectory(options.OutputDirectory);
        var results = new List<NotebookRunResult>();
        foreach (string notebook in notebooks)
        {
            cancellationToken.ThrowIfCancellationRequested();
            results.Add(await RunOneAsync(notebook, log, cancellationToken).ConfigureAwait(false));
        }
        JUnitReport.Build(results).Save(Path.Combine(options.OutputDirectory, "junit.xml"));
        return results;
    }

    /// <summary>The notebooks named by <paramref name="inputs"/>: files as given, folders expanded (sorted by name).</summary>
    /// <exception cref="FileNotFoundException">An input that is neither a notebook file nor a folder.</exception>
    public static IReadOnlyList<string> Expand(IEnumerable<string> inputs)
    {
        var files = new List<string>();
        foreach (string input in inputs)
        {
            if (Directory.Exists(input))
                files.AddRange(Directory.GetFiles(input)
                    .Where(f => Extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
                    .Order(StringComparer.Ordinal));
            else if (File.Exists(input))
                files.Add(input);
            else
                throw new FileNotFoundException($"No notebook or folder at {input}.", input);
        }
        return [.. files.Select(f => Path.GetFullPath(f))];
    }

    async Task<NotebookRunResult> RunOneAsync(string path, Action<string>? log, CancellationToken cancellationToken)
    {
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

        string folder = Path.GetDirectoryName(path)!;
        var stages = options.Stages ?? StageRegistry.Default;
        var session = new ScriptSession(new ScriptSessionOptions(stages.Commands, folder, options.CellTimeout, new RenderContext(stages)));
        var cells = new List<CellRun>();
        var codeCells = notebook.Cells.Where(c => c.IsCode).ToList();
        string previousDirectory = Environment.CurrentDirectory;
        Environment.CurrentDirectory = folder; // cells open files relative to their notebook, as in VS Code and Jupyter
        bool failed = false;
        try
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
        finally
        {
            Environment.CurrentDirectory = previousDirectory;
        }

        string executed = Path.Combine(options.OutputDirectory, name + ".ipynb");
        string report = Path.Combine(options.OutputDirectory, name + ".html");
        IpynbFormat.Save(notebook, executed);
        await HtmlReport.WriteAsync(notebook, name, report, cancellationToken).ConfigureAwait(false);
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
