namespace LlmOps.Interactive.Engine.Runner;

/// <summary>
/// The headless runner CI uses: executes notebooks top to bottom without a kernel, and writes each executed notebook
/// (.ipynb with outputs, execution counts and per-cell timing), a standalone HTML report, and one junit.xml.
/// A notebook stops at its first failing cell (the rest are marked skipped) unless <see cref="NotebookRunOptions.KeepGoing"/>.
/// Each notebook runs in its own process, started in the notebook's folder (see <see cref="NotebookProcess"/>): the
/// runner never changes its own current folder, so runners side by side (tests, hosts) cannot see each other's.
/// </summary>
public sealed class NotebookRunner(NotebookRunOptions options)
{
    /// <summary>The notebook file extensions the runner reads.</summary>
    public static readonly IReadOnlyList<string> Extensions = [".ipynb", ".dib"];

    /// <summary>Runs every input notebook in order; <paramref name="log"/> receives one line per cell as it finishes.</summary>
    public async Task<IReadOnlyList<NotebookRunResult>> RunAsync(Action<string>? log = null, CancellationToken cancellationToken = default)
    {
        var notebooks = Expand(options.Inputs);
        // Full paths: the notebooks' processes start in their own folders.
        var run = options with { OutputDirectory = Path.GetFullPath(options.OutputDirectory) };
        Directory.CreateDirectory(run.OutputDirectory);
        var results = new List<NotebookRunResult>();
        foreach (string notebook in notebooks)
        {
            cancellationToken.ThrowIfCancellationRequested();
            results.Add(await NotebookProcess.RunAsync(notebook, run, log, cancellationToken).ConfigureAwait(false));
        }
        JUnitReport.Build(results).Save(Path.Combine(run.OutputDirectory, "junit.xml"));
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
}
