using System.Diagnostics;
using System.Reflection;
using System.Runtime.Loader;
using System.Text.RegularExpressions;
using LlmOps.Core.Display;
using LlmOps.Interactive.Commands;
using LlmOps.Interactive.Documents;
using LlmOps.Interactive.Formatting;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;

namespace LlmOps.Interactive.Engine.Execution;

/// <summary>
/// Runs C# cells in order with state carried from cell to cell, the way the .NET Interactive kernel does, on Roslyn
/// scripting: the kernel's default imports, <c>display(value)</c> with in-place updates, the value of a trailing
/// expression shown as the cell's result, stdout/stderr captured per cell, <c>#!</c> magic commands from the
/// <see cref="CommandTable"/>, <c>#r "nuget: Id, Version"</c> and <c>#i "nuget: source"</c> resolved by a real
/// restore, <c>#r "path.dll"</c>, errors with cell-relative line numbers, cancellation and a per-cell timeout.
/// One session per notebook; run cells one at a time. A session never changes process-wide state that outlives it:
/// relative paths in cells resolve against the process's folder (the runner starts each notebook in its own process,
/// in the notebook's folder, as the kernel does), and disposing it removes its assembly resolver and lets go of the
/// cells' state (models, tensors).
/// </summary>
public sealed partial class ScriptSession : IDisposable
{
    /// <summary>Packages this host provides itself: a <c>#r "nuget:"</c> for them is satisfied without a restore.</summary>
    public static readonly IReadOnlySet<string> HostPackages = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "LlmOps.Interactive", "LlmOps.Core", "TorchSharp", "TorchSharp-cpu", "libtorch-cpu-linux-x64", "Plotly.NET",
        "Microsoft.Data.Analysis",
    };

    /// <summary>The namespaces a kernel's C# cell imports by default.</summary>
    public static readonly IReadOnlyList<string> DefaultImports =
    [
        "System", "System.Text", "System.Collections", "System.Collections.Generic", "System.Threading.Tasks", "System.Linq",
    ];

    readonly ScriptSessionOptions options;
    readonly RenderContext renderContext;
    readonly NuGetRestorer restorer;
    readonly List<string> sources = [];
    readonly Dictionary<string, string> packageAssemblies = new(StringComparer.OrdinalIgnoreCase);
    ScriptOptions scriptOptions;
    ScriptState<object?>? state;
    CellOutputCollector? current;
    int executionCount;
    string? abandoned;
    bool disposed;

    /// <summary>Creates a session; nothing is compiled until the first cell.</summary>
    public ScriptSession(ScriptSessionOptions options)
    {
        this.options = options ?? throw new ArgumentNullException(nameof(options));
        renderContext = options.RenderContext ?? new RenderContext();
        restorer = new NuGetRestorer(options.PackageCache ?? Path.Combine(
            Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "llmops", "nuget-restores"));
        scriptOptions = ScriptOptions.Default
            .WithReferences(HostAssemblies())
            .WithImports(DefaultImports)
            .WithMetadataResolver(ScriptMetadataResolver.Default.WithBaseDirectory(options.WorkingDirectory))
            .WithSourceResolver(new SourceFileResolver([], options.WorkingDirectory))
            .WithEmitDebugInformation(true)
            .WithFileEncoding(System.Text.Encoding.UTF8)
            .WithOptimizationLevel(OptimizationLevel.Release)
            .WithAllowUnsafe(false);
        AssemblyLoadContext.Default.Resolving += ResolvePackageAssembly;
    }

    /// <summary>Removes this session's assembly resolver and drops the cells' state, so what they held (models,
    /// tensors, restored assemblies' lookups) no longer stays reachable from the process. Later cells fail.</summary>
    public void Dispose()
    {
        if (disposed)
            return;
        disposed = true;
        AssemblyLoadContext.Default.Resolving -= ResolvePackageAssembly;
        packageAssemblies.Clear();
        state = null;
        abandoned = "This notebook session has ended (disposed).";
    }

    /// <summary>The per-document rendering state shared by every cell of this session.</summary>
    public RenderContext RenderContext => renderContext;

    internal CellOutputCollector CurrentCell => current ?? throw new InvalidOperationException("display() was called outside a running cell.");

    /// <summary>Runs one cell's source. Never throws for problems in the cell: they become error outputs.</summary>
    /// <param name="source">The cell's text.</param>
    /// <param name="onChange">Called (from any thread) whenever an output is added or updated, for live progress.</param>
    /// <param name="cancellationToken">Cancels the cell (cooperatively: code sees it through <c>CellCancellation</c>).</param>
    public async Task<CellResult> RunCellAsync(string source, Action<CellOutput>? onChange = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        int count = ++executionCount;
        var clock = Stopwatch.StartNew();
        using var cellCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var collector = new CellOutputCollector(renderContext, onChange, cellCancellation.Token);
        if (abandoned is not null)
        {
            collector.AddError(CellOutput.Error("SessionAbandoned", abandoned, [abandoned]));
            return new CellResult(collector.Outputs, CellStatus.Error, clock.Elapsed, count, abandoned);
        }

        current = collector;
        using var console = ConsoleRouter.Capture(collector);
        try
        {
            // The cell runs on its own task so a timeout can return control even when the code never yields.
            var work = Task.Run(() => ExecuteAsync(source, count, collector, cellCancellation.Token), CancellationToken.None);
            var limit = options.CellTimeout is { } timeout ? Task.Delay(timeout, cancellationToken) : Task.Delay(Timeout.Infinite, cancellationToken);
            var finished = await Task.WhenAny(work, limit).ConfigureAwait(false);
            if (finished == work)
            {
                string? error = await work.ConfigureAwait(false);
                collector.Complete();
                return new CellResult(collector.Outputs, error is null ? CellStatus.Ok : CellStatus.Error, clock.Elapsed, count, error);
            }

            await cellCancellation.CancelAsync().ConfigureAwait(false);
            bool stopped = await Task.WhenAny(work, Task.Delay(TimeSpan.FromSeconds(2), CancellationToken.None)).ConfigureAwait(false) == work;
            bool timedOut = !cancellationToken.IsCancellationRequested;
            string message = timedOut
                ? $"The cell ran past its {options.CellTimeout!.Value.TotalSeconds:0.#} s timeout and was stopped."
                : "The cell was cancelled.";
            if (!stopped)
            {
                // .NET cannot abort a thread: code that ignores cancellation keeps running, so no later cell may use this state.
                abandoned = message + " Its code did not stop, so this session cannot run more cells.";
                message = abandoned;
            }
            collector.Complete();
            collector.AddError(CellOutput.Error(timedOut ? "CellTimeout" : "CellCancelled", message, [message]));
            return new CellResult(collector.Outputs, timedOut ? CellStatus.TimedOut : CellStatus.Cancelled, clock.Elapsed, count, message);
        }
        finally
        {
            current = null;
        }
    }

    /// <summary>Runs directives, magics and code; returns a one-line error summary, or null on success.</summary>
    async Task<string?> ExecuteAsync(string source, int count, CellOutputCollector collector, CancellationToken cancellationToken)
    {
        using var display = DisplayHook.Use(collector);
        string[] lines = source.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var packages = new List<(PackageReference Package, int Line)>();
        var magics = new List<(string Text, int Line)>();

        // Directives and magics are read from the top of the cell, before any code; their lines are blanked so
        // compiler line numbers still match the cell.
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith("//", StringComparison.Ordinal))
                continue;
            if (PackageDirective().Match(line) is { Success: true } package)
            {
                string value = package.Groups["value"].Value.Trim();
                if (package.Groups["kind"].Value == "i")
                    sources.Add(Path.GetFullPath(value, options.WorkingDirectory));
                else
                {
                    var parts = value.Split(',', 2, StringSplitOptions.TrimEntries);
                    packages.Add((new PackageReference(parts[0], parts.Length > 1 && parts[1].Length > 0 ? parts[1] : null), i + 1));
                }
                lines[i] = "";
            }
            else if (line.StartsWith("#!", StringComparison.Ordinal))
            {
                magics.Add((line, i + 1));
                lines[i] = "";
            }
            else if (!line.StartsWith("#r ", StringComparison.Ordinal) && !line.StartsWith("#load ", StringComparison.Ordinal))
                break;
        }

        try
        {
            await ResolvePackagesAsync(packages, collector, cancellationToken).ConfigureAwait(false);
            foreach (var (text, line) in magics)
                await options.Commands.InvokeAsync(text, collector, line, cancellationToken).ConfigureAwait(false);
        }
        catch (MagicCommandException e)
        {
            return Fail(collector, "MagicCommandError", $"cell line {e.Line}: {e.Message}", [$"cell line {e.Line}: {e.Message}"]);
        }
        catch (InvalidOperationException e) when (e.Message.StartsWith("NuGet restore", StringComparison.Ordinal))
        {
            int line = packages.Count > 0 ? packages[0].Line : 1;
            return Fail(collector, "PackageRestoreError", $"cell line {line}: {e.Message}", e.Message.Split('\n'));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return Fail(collector, e.GetType().Name, e.Message, e.ToString().Split('\n'));
        }

        string code = string.Join('\n', lines);
        if (string.IsNullOrWhiteSpace(code))
            return null;

        var cellOptions = scriptOptions.WithFilePath($"cell-{count}");
        try
        {
            state = state is null
                ? await CSharpScript.Create<object?>(code, cellOptions, typeof(CellGlobals))
                    .RunAsync(new CellGlobals(this), catchException: _ => true, cancellationToken).ConfigureAwait(false)
                : await state.ContinueWithAsync<object?>(code, cellOptions, catchException: _ => true, cancellationToken).ConfigureAwait(false);
        }
        catch (CompilationErrorException e)
        {
            var errors = e.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)
                .Select(d =>
                {
                    var position = d.Location.GetLineSpan().StartLinePosition;
                    return $"cell line {position.Line + 1}, column {position.Character + 1}: error {d.Id}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";
                }).ToList();
            return Fail(collector, "CompilationError", errors[0], errors);
        }

        if (state.Exception is { } exception)
        {
            if (exception is OperationCanceledException && cancellationToken.IsCancellationRequested)
                throw exception;
            // The frames below the cell are Roslyn's own machinery: noise to a notebook reader.
            var trace = exception.ToString().Split('\n').Select(l => l.TrimEnd())
                .Where(l => !l.Contains("Microsoft.CodeAnalysis.Scripting", StringComparison.Ordinal) && !l.StartsWith("--- End of stack trace", StringComparison.Ordinal))
                .ToList();
            int? line = CellLine(exception, count);
            string where = line is null ? "" : $"cell line {line}: ";
            return Fail(collector, exception.GetType().Name, where + exception.Message, trace);
        }

        if (HasTrailingValue(state.Script.GetCompilation()))
            collector.AddResult(state.ReturnValue, count);
        return null;
    }

    /// <summary>True when the cell ends in an expression without a semicolon whose type is not void: its value is
    /// the cell's result, as in the kernel.</summary>
    static bool HasTrailingValue(Compilation compilation)
    {
        var tree = compilation.SyntaxTrees.Last();
        var last = tree.GetRoot().DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.GlobalStatementSyntax>().LastOrDefault();
        if (last?.Statement is not Microsoft.CodeAnalysis.CSharp.Syntax.ExpressionStatementSyntax { SemicolonToken.IsMissing: true } statement)
            return false;
        var type = compilation.GetSemanticModel(tree).GetTypeInfo(statement.Expression).Type;
        return type is not null && type.SpecialType != SpecialType.System_Void;
    }

    static string Fail(CellOutputCollector collector, string name, string message, IEnumerable<string> traceback)
    {
        collector.AddError(CellOutput.Error(name, message, traceback));
        return $"{name}: {message}";
    }

    /// <summary>The innermost stack frame inside this cell's code, when the exception passed through it.</summary>
    static int? CellLine(Exception exception, int count)
    {
        var match = Regex.Match(exception.ToString(), $@"cell-{count}:line (\d+)");
        return match.Success ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : null;
    }

    async Task ResolvePackagesAsync(List<(PackageReference Package, int Line)> packages, CellOutputCollector collector, CancellationToken cancellationToken)
    {
        var hosted = packages.Where(p => HostPackages.Contains(p.Package.Id)).ToList();
        foreach (var (package, _) in hosted)
        {
            string version = typeof(ScriptSession).Assembly.GetName().Version?.ToString(3) ?? "?";
            collector.Write("stdout", $"{package.Id} {package.Version}: provided by the runner (LlmOps {version})\n");
        }
        var toRestore = packages.Except(hosted).Select(p => p.Package).ToList();
        if (toRestore.Count == 0)
            return;

        var paths = await restorer.RestoreAsync(toRestore, [.. sources, .. NuGetRestorer.ConfigSources(options.WorkingDirectory)], cancellationToken).ConfigureAwait(false);
        // One version of an assembly per process, as in the kernel: the host's copy wins, and an assembly an earlier
        // session (or #r) already loaded is referenced where it was loaded from, so this compilation still sees it.
        var loaded = AppDomain.CurrentDomain.GetAssemblies()
            .Where(a => !a.IsDynamic && a.Location.Length > 0)
            .GroupBy(a => a.GetName().Name ?? "", StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First().Location, StringComparer.OrdinalIgnoreCase);
        var added = new List<string>();
        foreach (string path in paths)
        {
            string name = Path.GetFileNameWithoutExtension(path);
            if (HostAssemblyNames.Value.Contains(name))
                continue;
            if (loaded.TryGetValue(name, out string? loadedFrom))
            {
                added.Add(loadedFrom);
                continue;
            }
            packageAssemblies[name] = path;
            added.Add(path);
        }
        scriptOptions = scriptOptions.AddReferences(added.Select(p => MetadataReference.CreateFromFile(p)));
        collector.Write("stdout", $"Installed {string.Join(", ", toRestore.Select(p => $"{p.Id} {p.Version}".Trim()))}\n");
    }

    Assembly? ResolvePackageAssembly(AssemblyLoadContext context, AssemblyName name) =>
        name.Name is { } simple && packageAssemblies.TryGetValue(simple, out string? path) ? context.LoadFromAssemblyPath(path) : null;

    static readonly Lazy<HashSet<string>> HostAssemblyNames = new(() =>
        new HashSet<string>(HostAssemblyPaths().Select(Path.GetFileNameWithoutExtension).OfType<string>(), StringComparer.OrdinalIgnoreCase));

    static string[] HostAssemblyPaths() =>
        (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Everything the host process can load: the framework, LlmOps, TorchSharp, Plotly.NET and the rest.</summary>
    static IEnumerable<MetadataReference> HostAssemblies() =>
        HostAssemblyPaths()
            .Where(p => !Path.GetFileName(p).StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal))
            .Select(p => MetadataReference.CreateFromFile(p));

    [GeneratedRegex(@"^#(?<kind>[ri])\s+""nuget:\s*(?<value>[^""]+)""\s*$")]
    private static partial Regex PackageDirective();
}
