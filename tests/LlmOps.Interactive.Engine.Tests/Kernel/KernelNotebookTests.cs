using System.Text.Json;
using System.Text.Json.Nodes;
using LlmOps.Interactive.Documents;
using LlmOps.Interactive.Engine.Runner;
using LlmOps.Interactive.Formatting;
using LlmOps.Tests;
using Xunit.Abstractions;

namespace LlmOps.Interactive.Engine.Tests.Kernel;

/// <summary>
/// Runs every course notebook in the real .NET Interactive kernel (the tool pinned in .config/dotnet-tools.json) as a
/// Jupyter kernel driven by Debian's nbclient, with the CI parameters the headless tests use, injected after the
/// parameters cell by the same <see cref="ParameterInjector"/>. What only the kernel can show: the first cell restores
/// the packed package through notebooks/nuget.config, the extension script loads, charts and live updates go through
/// the kernel's display sink. Lives here, beside the headless runner's tests, because it needs the runner's injector.
/// </summary>
public partial class KernelNotebookTests(KernelNotebookTests.KernelHost host, ITestOutputHelper log) : IClassFixture<KernelNotebookTests.KernelHost>
{
    [System.Text.RegularExpressions.GeneratedRegex(@"<script[^>]*\ssrc\s*=\s*[""']?(https?:)?//", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex RemoteScript();

    /// <summary>Every course notebook (notebooks/NN-*.ipynb), so a new one runs in the kernel from the day it lands
    /// (<see cref="CourseParameters"/> refuses a notebook without CI sizes).</summary>
    public static TheoryData<string> CourseNotebooks()
    {
        var data = new TheoryData<string>();
        foreach (string path in Directory.GetFiles(RepoPaths.Path("notebooks"), "*.ipynb").Order(StringComparer.Ordinal))
            if (char.IsAsciiDigit(Path.GetFileName(path)[0]))
                data.Add(Path.GetFileName(path));
        return data;
    }

    [Theory]
    [MemberData(nameof(CourseNotebooks))]
    public async Task A_course_notebook_runs_in_the_real_kernel_without_errors(string notebook)
    {
        var (executed, summary) = await host.RunAsync(notebook, log);

        var code = executed.Cells.Where(c => c.IsCode).ToList();
        var errors = code.SelectMany(c => c.Outputs.Where(o => o.OutputType == "error").Select(o => $"{c.Source.Split('\n')[0]}: {o.EName}: {o.EValue}")).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        Assert.All(code, c => Assert.NotNull(c.ExecutionCount));

        // The first cell really loaded our package through the kernel (not some other copy) and ran its script.
        string first = string.Join("\n", code[0].Outputs.Select(o => o.GetText("text/plain") ?? o.GetText("text/markdown") ?? o.GetText("text/html") ?? o.Text));
        Assert.Contains("LlmOps.Interactive, 0.1.0-dev.", first, StringComparison.Ordinal);
        Assert.Contains("LlmOps extension loaded", first, StringComparison.Ordinal);

        // Charts draw offline: plotly.js is in the document exactly once, nothing loads it from a CDN, and the one copy
        // is in a chart output that comes no later than the first chart, so every chart finds it when the file reopens.
        // (The first cell is skipped: the kernel's own restore output loads its client script through require.js.)
        var html = code.Skip(1).SelectMany(c => c.Outputs).Select(o => o.GetText("text/html") ?? "").ToList();
        // (plotly.js itself names cdn.plot.ly for map data, so look for what loads a library: a remote script or require.js.)
        Assert.DoesNotContain(html, h => RemoteScript().IsMatch(h) || h.Contains("require.config(", StringComparison.Ordinal));
        int firstChart = html.FindIndex(h => h.Contains("Plotly.newPlot", StringComparison.Ordinal));
        if (firstChart >= 0)
        {
            Assert.Equal(1, html.Count(PlotlyJs.IsEmbeddedIn));
            Assert.True(PlotlyJs.IsEmbeddedIn(html[firstChart]), $"the first chart of {notebook} does not carry plotly.js");
        }

        var (valid, validation) = await NbformatValidator.ValidateAsync(summary.ExecutedPath);
        Assert.True(valid, validation);
    }

    [Fact]
    public async Task Live_progress_arrives_as_display_updates_and_the_saved_live_chart_keeps_plotly_js()
    {
        var (executed, summary) = await host.RunAsync("03-pretrain.ipynb", log);

        // The training cell (the run stopped halfway, at step 15 of 30): its chart was shown once and then updated in
        // place (update_display_data), not appended; the resumed run's cell continues to step 30.
        int training = executed.Cells.FindIndex(c => c.IsCode && c.Outputs.Any(o => (o.GetText("text/plain") ?? "").Contains("step 15/30", StringComparison.Ordinal)));
        Assert.True(training >= 0, "no cell shows the training stopped at step 15");
        Assert.True(summary.Updates.GetValueOrDefault(training) >= 2, $"the training cell got {summary.Updates.GetValueOrDefault(training)} update_display_data messages");
        int resumed = executed.Cells.FindIndex(c => c.IsCode && c.Outputs.Any(o => (o.GetText("text/plain") ?? "").Contains("step 30/30", StringComparison.Ordinal)));
        Assert.True(resumed > training, "no cell after the stopped run shows the resumed run's last step");
        var live = executed.Cells[training].Outputs.Single(o => (o.GetText("text/plain") ?? "").Contains("step 15/30", StringComparison.Ordinal));
        // That live chart is the notebook's first: its updates leave the 3.6 MB library out, and the one update sent
        // when the cell completes puts it back, so its final (saved) state carries it.
        Assert.Equal(1, summary.LibraryUpdates.GetValueOrDefault(training));
        Assert.True(PlotlyJs.IsEmbeddedIn(live.GetText("text/html")), "the final state of the live training chart lost plotly.js");

        // Reopened in a browser: the saved outputs as they are, as a page; every chart in it is drawn.
        string page = Path.Combine(Path.GetDirectoryName(summary.ExecutedPath)!, "03-pretrain-saved-by-the-kernel.html");
        await HtmlReport.WriteAsync(executed, "03-pretrain, saved by the kernel", page);
        // Our charts are drawn by Plotly.newPlot('llmops-plot-N', ...), one call per chart (an output may hold several).
        int charts = executed.Cells.SelectMany(c => c.Outputs)
            .Sum(o => System.Text.RegularExpressions.Regex.Count(o.GetText("text/html") ?? "", "Plotly\\.newPlot\\('llmops-plot-"));
        string dom = await Chromium.DumpDomAsync(page);
        int drawn = System.Text.RegularExpressions.Regex.Count(dom, "class=\"[^\"]*js-plotly-plot");
        Assert.True(charts >= 2, $"expected the live chart and the comparison chart, found {charts} chart outputs");
        Assert.Equal(charts, drawn);
    }

    [Fact]
    public async Task In_a_clone_that_has_not_packed_the_first_cell_fails_with_the_command_that_packs()
    {
        // A clone as it is checked out: the tool manifest, notebooks/nuget.config and the committed placeholder only.
        string clone = host.NewFolder("unpacked-clone");
        Directory.CreateDirectory(Path.Combine(clone, ".config"));
        File.Copy(RepoPaths.Path(".config", "dotnet-tools.json"), Path.Combine(clone, ".config", "dotnet-tools.json"));
        Directory.CreateDirectory(Path.Combine(clone, "notebooks"));
        File.Copy(RepoPaths.Path("notebooks", "nuget.config"), Path.Combine(clone, "notebooks", "nuget.config"));
        Directory.CreateDirectory(Path.Combine(clone, "artifacts", "packages"));
        const string placeholder = "LlmOps.Interactive.0.0.0-not-packed.nupkg";
        File.Copy(RepoPaths.Path("artifacts", "packages", placeholder), Path.Combine(clone, "artifacts", "packages", placeholder));
        var welcome = IpynbFormat.Load(RepoPaths.Path("notebooks", "00-welcome.ipynb"));
        var document = NotebookDocument.CreateCSharp();
        document.Cells.Add(welcome.Cells.First(c => c.IsCode));

        var (executed, _) = await host.ExecuteAsync(document, "unpacked-clone", Path.Combine(clone, "notebooks"));

        var error = Assert.Single(executed.Cells[0].Outputs, o => o.OutputType == "error");
        Assert.Contains("has not been packed in this clone yet", error.EValue, StringComparison.Ordinal);
        Assert.Contains("dotnet pack LlmOps.Notebooks.sln -c Release -o artifacts/packages", error.EValue, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Magic_command_mistakes_read_as_our_messages_not_the_kernels_binding_errors_or_a_stack_trace()
    {
        var document = NotebookDocument.CreateCSharp();
        document.Cells.Add(IpynbFormat.Load(RepoPaths.Path("notebooks", "00-welcome.ipynb")).Cells.First(c => c.IsCode));
        document.Cells.Add(NotebookCell.Code("#!llmops-env --matmul-size abc"));          // was DNI106 (invalid JSON)
        document.Cells.Add(NotebookCell.Code("#!tokenize --text hi"));                    // was DNI104 (missing parameter)
        document.Cells.Add(NotebookCell.Code("#!tokenize no-such-tokenizer --text hi"));  // was our message plus a stack trace

        var (executed, _) = await host.ExecuteAsync(document, "magic-errors", RepoPaths.Path("notebooks"));

        string Error(int cell)
        {
            var error = Assert.Single(executed.Cells[cell].Outputs, o => o.OutputType == "error");
            string text = error.EValue + "\n" + string.Join("\n", error.Traceback);
            Assert.DoesNotContain("DNI10", text, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
            return text;
        }
        Assert.Contains("#!llmops-env: --matmul-size expects int, not 'abc'.", Error(1), StringComparison.Ordinal);
        Assert.Contains("#!tokenize: --tokenizer is required. Usage: #!tokenize", Error(2), StringComparison.Ordinal);
        Assert.Contains("#!tokenize: ", Error(3), StringComparison.Ordinal);
        Assert.Contains("no-such-tokenizer", Error(3), StringComparison.Ordinal);
    }

    /// <summary>The kernel as CI runs it: the tool restored from the local manifest, a kernelspec in a temporary
    /// JUPYTER_PATH, and the LlmOps package packed into artifacts/packages (packed here when missing or older than the
    /// build). Executed notebooks are cached per test run, so the two tests on 03-pretrain share one run.</summary>
    public sealed class KernelHost : IAsyncLifetime, IDisposable
    {
        public const string KernelName = "llmops-test-csharp";
        readonly string root = RepoPaths.NewTempFolder("llmops-kernel");
        readonly Dictionary<string, Task<(NotebookDocument, RunSummary)>> runs = [];
        readonly SemaphoreSlim oneAtATime = new(1, 1);

        public async Task InitializeAsync()
        {
            if (!File.Exists("/usr/bin/python3"))
                throw new InvalidOperationException("/usr/bin/python3 is missing: tests/run.sh installs Debian's python3-nbclient.");
            var probe = await ProcessRunner.RunAsync("/usr/bin/python3", ["-c", "import nbclient, nbformat"]);
            if (probe.ExitCode != 0)
                throw new InvalidOperationException($"Debian's python3-nbclient is missing (tests/run.sh installs it): {probe.Output}");
            var restore = await ProcessRunner.RunAsync("dotnet", ["tool", "restore"], timeoutSeconds: 600);
            if (restore.ExitCode != 0)
                throw new InvalidOperationException($"dotnet tool restore failed: {restore.Output}");
            await PackWhenStaleAsync();

            // argv runs the tool pinned by the repository's manifest; the kernel's folder is the notebook's, inside it.
            string spec = Path.Combine(root, "jupyter", "kernels", KernelName);
            Directory.CreateDirectory(spec);
            var kernel = new JsonObject
            {
                ["argv"] = new JsonArray("dotnet", "tool", "run", "dotnet-interactive", "--", "jupyter", "--default-kernel", "csharp", "{connection_file}"),
                ["display_name"] = ".NET (C#) for LlmOps tests",
                ["language"] = "C#",
            };
            await File.WriteAllTextAsync(Path.Combine(spec, "kernel.json"), kernel.ToJsonString());
        }

        public Task DisposeAsync() => Task.CompletedTask;

        public void Dispose() => oneAtATime.Dispose();

        /// <summary>Executes <paramref name="notebook"/> once per test run and returns the executed document.</summary>
        public Task<(NotebookDocument, RunSummary)> RunAsync(string notebook, ITestOutputHelper log)
        {
            lock (runs)
            {
                if (!runs.TryGetValue(notebook, out var run))
                    runs[notebook] = run = RunOnceAsync(notebook, log);
                return run;
            }
        }

        async Task<(NotebookDocument, RunSummary)> RunOnceAsync(string notebook, ITestOutputHelper log)
        {
            string source = RepoPaths.Path("notebooks", notebook);
            var document = IpynbFormat.Load(source);
            ParameterInjector.Inject(document, Parameters(notebook), source);
            var (executed, summary) = await ExecuteAsync(document, Path.GetFileNameWithoutExtension(notebook), RepoPaths.Path("notebooks"));
            log.WriteLine($"{notebook}: {summary.Seconds:F1} s in the kernel");
            return (executed, summary);
        }

        /// <summary>Executes <paramref name="document"/> in the kernel with <paramref name="workingFolder"/> as its folder.</summary>
        public async Task<(NotebookDocument, RunSummary)> ExecuteAsync(NotebookDocument document, string name, string workingFolder)
        {
            // One kernel at a time: each loads libtorch and trains on the same two cores.
            await oneAtATime.WaitAsync();
            try
            {
                string input = Path.Combine(root, $"{name}.in.ipynb");
                string output = Path.Combine(root, $"{name}.ipynb");
                string summaryPath = Path.Combine(root, $"{name}.summary.json");
                IpynbFormat.Save(document, input);

                var result = await ProcessRunner.RunAsync("/usr/bin/python3",
                    [RepoPaths.Path("tests", "LlmOps.Interactive.Engine.Tests", "Kernel", "run_in_kernel.py"), input, output, workingFolder, KernelName, "600", summaryPath],
                    new Dictionary<string, string?> { ["JUPYTER_PATH"] = Path.Combine(root, "jupyter") }, workingDirectory: workingFolder, timeoutSeconds: 1200);
                Assert.True(result.ExitCode == 0 && File.Exists(output), $"nbclient failed on {name}:\n{result.Output}");

                var summary = JsonNode.Parse(await File.ReadAllTextAsync(summaryPath))!;
                static Dictionary<int, int> PerCell(JsonNode? counts) => counts!.AsObject().ToDictionary(p => int.Parse(p.Key, System.Globalization.CultureInfo.InvariantCulture), p => p.Value!.GetValue<int>());
                return (IpynbFormat.Load(output), new RunSummary(output, summary["seconds"]!.GetValue<double>(), PerCell(summary["updates"]), PerCell(summary["libraryUpdates"])));
            }
            finally
            {
                oneAtATime.Release();
            }
        }

        /// <summary>A fresh folder under this run's temporary root.</summary>
        public string NewFolder(string name) => Directory.CreateDirectory(Path.Combine(root, name)).FullName;

        /// <summary>CI sizes (as the headless runner's tests use), every folder under this run's temporary root.</summary>
        Dictionary<string, string> Parameters(string notebook) => CourseParameters.For(notebook, root);

        /// <summary>The kernel restores LlmOps.Interactive from artifacts/packages, newest version first: pack it when no
        /// package is there or the newest is older than what this test run built (its version is the newest input's time,
        /// see build/PackageVersion.targets), so the kernel never tests yesterday's package.</summary>
        static async Task PackWhenStaleAsync()
        {
            string packages = RepoPaths.Path("artifacts", "packages");
            string config = RepoPaths.Configuration;
            var inputs = new[]
            {
                Directory.EnumerateFiles(RepoPaths.Path("extensions", "LlmOps.Interactive", "obj", config), "LlmOps.Interactive.dll", SearchOption.AllDirectories),
                Directory.EnumerateFiles(RepoPaths.Path("src", "LlmOps.Core", "obj", config), "LlmOps.Core.dll", SearchOption.AllDirectories),
                [RepoPaths.Path("extensions", "LlmOps.Interactive", "Kernel", "extension.dib")],
            }.SelectMany(f => f);
            string built = inputs.Max(f => File.GetLastWriteTimeUtc(f)).ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture);
            string? newest = Directory.Exists(packages)
                ? Directory.EnumerateFiles(packages, "LlmOps.Interactive.0.1.0-dev.*.nupkg").Select(p => Path.GetFileName(p)["LlmOps.Interactive.0.1.0-dev.".Length..^".nupkg".Length]).Max(StringComparer.Ordinal)
                : null;
            if (newest is not null && string.CompareOrdinal(newest, built) >= 0)
                return;
            // The two packable projects, not the solution: packing the solution would rebuild this running test assembly.
            foreach (string project in new[] { RepoPaths.Path("src", "LlmOps.Core", "LlmOps.Core.csproj"), RepoPaths.Path("extensions", "LlmOps.Interactive", "LlmOps.Interactive.csproj") })
            {
                var pack = await ProcessRunner.RunAsync("dotnet", ["pack", project, "-c", config, "-o", packages, "--nologo"], timeoutSeconds: 900);
                if (pack.ExitCode != 0)
                    throw new InvalidOperationException($"packing {project} for the kernel failed:\n{pack.Output}");
            }
        }
    }

    /// <summary>What the driver reports besides the executed file.</summary>
    /// <param name="ExecutedPath">The executed notebook.</param>
    /// <param name="Seconds">Wall time of the whole notebook in the kernel, kernel start included.</param>
    /// <param name="Updates">update_display_data messages per cell index (of the executed document).</param>
    /// <param name="LibraryUpdates">How many of those updates carried plotly.js, per cell index.</param>
    public sealed record RunSummary(string ExecutedPath, double Seconds, IReadOnlyDictionary<int, int> Updates, IReadOnlyDictionary<int, int> LibraryUpdates);
}
