using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace LlmOps.Interactive.Engine.Runner;

/// <summary>
/// Each notebook runs in a process of its own, started in the notebook's folder, as papermill runs each notebook in a
/// fresh kernel and as VS Code and Jupyter start the kernel there. So cells' relative paths (<c>"../datasets"</c>,
/// <c>"runs/"</c>) resolve as in the kernel without anyone changing the runner's current folder; notebooks run side by
/// side cannot see each other's folders, types, statics or display hook; and everything a notebook loaded (assemblies,
/// models, native tensors) is gone when it ends. This class is both ends: <see cref="RunAsync"/> in the runner, and
/// <see cref="Main"/> in the notebook's process (this assembly is its entry point).
/// </summary>
static class NotebookProcess
{
    /// <summary>Marks the lines of the notebook's process that are the runner's log (cell finished), not stray output.</summary>
    const string LogPrefix = "##llmops-log ";
    const string CancelRequest = "cancel";

    /// <summary>How long a cancelled notebook may take to stop its cell and save what ran before it is killed.</summary>
    static readonly TimeSpan CancelGrace = TimeSpan.FromSeconds(10);

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    /// <summary>Runs <paramref name="notebook"/> (a full path) in a new process and returns what it reported.</summary>
    public static async Task<NotebookRunResult> RunAsync(string notebook, NotebookRunOptions options, Action<string>? log, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        string exchange = Directory.CreateTempSubdirectory("llmops-notebook-").FullName;
        try
        {
            string request = Path.Combine(exchange, "request.json");
            string response = Path.Combine(exchange, "result.json");
            await File.WriteAllTextAsync(request, JsonSerializer.Serialize(options with { Inputs = [notebook] }, Json), cancellationToken).ConfigureAwait(false);

            using var process = new Process { StartInfo = StartInfo(Path.GetDirectoryName(notebook)!, request, response) };
            process.Start();
            var stray = new StringBuilder();
            var stdout = PumpAsync(process.StandardOutput, line =>
            {
                if (line.StartsWith(LogPrefix, StringComparison.Ordinal))
                    log?.Invoke(line[LogPrefix.Length..]);
                else
                    lock (stray) stray.AppendLine(line);
            });
            var stderr = PumpAsync(process.StandardError, line => { lock (stray) stray.AppendLine(line); });

            try
            {
                await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Ask the notebook to stop its cell and save what ran (as a cancelled in-process run did); kill it if it won't.
                try
                {
                    await process.StandardInput.WriteLineAsync(CancelRequest).ConfigureAwait(false);
                    await process.StandardInput.FlushAsync(CancellationToken.None).ConfigureAwait(false);
                }
                catch (IOException)
                {
                    // It has already exited.
                }
                using var grace = new CancellationTokenSource(CancelGrace);
                try
                {
                    await process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    process.Kill(entireProcessTree: true);
                }
                throw;
            }
            await Task.WhenAll(stdout, stderr).ConfigureAwait(false);

            if (process.ExitCode == 0 && File.Exists(response))
            {
                var result = JsonSerializer.Deserialize<NotebookRunResult>(await File.ReadAllTextAsync(response, cancellationToken).ConfigureAwait(false), Json)!;
                return result with { Seconds = clock.Elapsed.TotalSeconds };
            }
            string output = stray.ToString().Trim();
            string message = $"The process running {notebook} exited with code {process.ExitCode} before reporting a result"
                + (output.Length == 0 ? "." : $": {output[Math.Max(0, output.Length - 4000)..]}");
            log?.Invoke($"[{Path.GetFileNameWithoutExtension(notebook)}] {message}");
            return new NotebookRunResult(notebook, null, null, [], clock.Elapsed.TotalSeconds, message);
        }
        finally
        {
            Directory.Delete(exchange, recursive: true);
        }
    }

    /// <summary>The notebook's process: this assembly on the runner's own runtime and dependency list (the CLI's or the
    /// test project's), so a notebook sees the same LlmOps, TorchSharp and Roslyn as the runner.</summary>
    static ProcessStartInfo StartInfo(string folder, string request, string response)
    {
        string deps = ((AppContext.GetData("APP_CONTEXT_DEPS_FILES") as string) ?? "").Split(Path.PathSeparator, ';')
            .FirstOrDefault(p => p.EndsWith(".deps.json", StringComparison.OrdinalIgnoreCase) && File.Exists(p)) ?? "";
        string runtimeConfig = deps.Length > 0 ? deps[..^".deps.json".Length] + ".runtimeconfig.json" : "";
        string self = typeof(NotebookProcess).Assembly.Location;
        if (!File.Exists(runtimeConfig))
        {
            // Not started by a host with its own files: this assembly's own (it is built as an executable).
            deps = Path.ChangeExtension(self, ".deps.json");
            runtimeConfig = Path.ChangeExtension(self, ".runtimeconfig.json");
        }

        var start = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = folder,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (string argument in (string[])["exec", "--runtimeconfig", runtimeConfig, "--depsfile", deps, self, request, response])
            start.ArgumentList.Add(argument);
        return start;
    }

    /// <summary>The dotnet host of the runtime this process runs on (<c>DOTNET_ROOT/shared/Microsoft.NETCore.App/V</c>
    /// is three folders below it), so the notebook runs on the same runtime whatever PATH says.</summary>
    static string DotnetHost()
    {
        string name = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        string root = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "..", "..", ".."));
        string host = Path.Combine(root, name);
        return File.Exists(host) ? host : name;
    }

    static async Task PumpAsync(StreamReader reader, Action<string> onLine)
    {
        while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
            onLine(line);
    }

    /// <summary>The notebook's process: runs the one notebook of the request, writes the result, exits 0 (a failing
    /// cell is a result, not a crash). A "cancel" line on stdin, or the runner going away, cancels the running cell.</summary>
    static async Task<int> Main(string[] args)
    {
        if (args.Length != 2)
        {
            await Console.Error.WriteLineAsync("usage: LlmOps.Interactive.Engine REQUEST.json RESULT.json (started by the notebook runner)").ConfigureAwait(false);
            return 2;
        }
        var options = JsonSerializer.Deserialize<NotebookRunOptions>(await File.ReadAllTextAsync(args[0]).ConfigureAwait(false), Json)!;
        // The log goes straight to stdout: cells' console output is captured into their outputs, never mixed in here.
        using var runnerLog = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { AutoFlush = true };
        using var cancel = new CancellationTokenSource();
        // Ctrl-C in a terminal reaches this process too (same process group): stop the cell and save, as on "cancel".
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        var stdin = Console.OpenStandardInput();
        _ = Task.Run(async () =>
        {
            using var reader = new StreamReader(stdin);
            while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
                if (line == CancelRequest)
                    break;
            await cancel.CancelAsync().ConfigureAwait(false);
        });

        var result = await NotebookExecution.RunAsync(options.Inputs[0], options, line =>
        {
            lock (runnerLog)
                runnerLog.WriteLine(LogPrefix + line);
        }, cancel.Token).ConfigureAwait(false);
        await File.WriteAllTextAsync(args[1], JsonSerializer.Serialize(result, Json)).ConfigureAwait(false);
        return 0;
    }
}
