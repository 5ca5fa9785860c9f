using System.Diagnostics;
using System.Globalization;
using LlmOps.Core.Data;
using LlmOps.Core.Display;
using LlmOps.Core.Evaluation;
using LlmOps.Core.Modeling;
using LlmOps.Core.Platform;
using LlmOps.Core.Tokenization;
using LlmOps.Core.Tracking;
using LlmOps.Interactive.Commands;
using LlmOps.Interactive.Formatting;

namespace LlmOps.Interactive.Stages.Evaluation;

/// <summary>The evaluation stage: a suite run on a checkpoint, saved as results JSON and, given a baseline, a CI gate
/// (exit code <see cref="CommandExitCodes.CheckFailed"/> and JUnit XML when a metric regressed).</summary>
public static class EvaluationStage
{
    /// <summary>The stage's declaration.</summary>
    public static Stage Declaration { get; } = new("evaluation", "Evaluate checkpoints on task suites; gate a run against a baseline",
    [
        new MagicCommand("eval", "Run an evaluation suite on a checkpoint or an OpenAI-compatible endpoint; with --baseline, fail when a metric regressed past the tolerance",
            [
                new("suite", "the suite (JSON; data paths relative to it)", Positional: true, Required: true),
                new("model", "a checkpoint folder (model.safetensors + config.json naming its tokenizer); or use --endpoint"),
                new("root", "folder of trained tokenizers (default: artifacts/tokenizers)"),
                new("endpoint", "an OpenAI-compatible API base URL (e.g. http://localhost:8000/v1) to evaluate instead of a checkpoint"),
                new("endpoint-model", "the model name the endpoint serves (with --endpoint)"),
                new("api-key-env", "the environment variable holding the endpoint's API key (none by default)"),
                new("timeout", "seconds one endpoint call may take before it is retried", MagicParameterKind.Number, Default: "60"),
                new("retries", "retries of an endpoint call that timed out or got a 5xx/429 (exponential backoff), after which the item is an error", MagicParameterKind.WholeNumber, Default: "3"),
                new("judge-endpoint", "an OpenAI-compatible API base URL of the judge for tasks with the judge metric (overrides the suite's)"),
                new("judge-model", "the judge's model name (with --judge-endpoint)"),
                new("judge-api-key-env", "the environment variable holding the judge's API key"),
                new("cache", "a folder caching answers per item: a rerun asks nothing again, an interrupted run resumes (generate_until)"),
                new("baseline", "a previous results JSON to hold this run to"),
                new("tolerance", "how far (absolute) a metric may get worse than the baseline; perplexities fail on rising", MagicParameterKind.Number, Default: "0"),
                new("out", "write the results JSON here"),
                new("junit", "write JUnit XML here (one test case per task and metric)"),
                new("train-files", "comma-separated training files: flag items sharing a 13-gram with them (GPT-3's contamination check)"),
                new("exclude-contaminated", "leave the flagged items out of the run (needs --train-files)", MagicParameterKind.Flag),
                new("store", "record an eval run in this run store (created when missing), linked to the model's training run"),
            ],
            async invocation =>
            {
                if ((invocation.Get<string?>("model") is null) == (invocation.Get<string?>("endpoint") is null))
                    throw new ArgumentException("Give the model to evaluate: --model CHECKPOINT or --endpoint URL --endpoint-model NAME (one of them).");
                double tolerance = invocation.Get<double>("tolerance");
                if (tolerance < 0 || double.IsNaN(tolerance))
                    throw new ArgumentException($"--tolerance must be 0 or more, not {tolerance.ToString(CultureInfo.InvariantCulture)}.");
                // Read the baseline before the (long) run, so a wrong path fails at once.
                var baseline = invocation.Get<string?>("baseline") is { } baselinePath ? EvalReport.Load(baselinePath) : null;
                string suitePath = invocation.Get<string>("suite");
                var suite = EvalSuite.Load(suitePath);
                var loadedSuite = suite;
                string[] trainFiles = invocation.GetList("train-files");
                if (invocation.Get<bool>("exclude-contaminated") && trainFiles.Length == 0)
                    throw new ArgumentException("--exclude-contaminated needs --train-files to check against.");
                var contamination = trainFiles.Length == 0 ? null : ContaminationCheck.Check(suite, trainFiles, cancellationToken: invocation.CancellationToken);
                string cleanFolder = Path.Combine(Path.GetTempPath(), "llmops-eval-clean", Guid.NewGuid().ToString("N"));
                if (contamination is not null && invocation.Get<bool>("exclude-contaminated"))
                    suite = contamination.Exclude(suite, cleanFolder);
                EvalReport report;
                try
                {
                    var judgeEndpoint = Endpoint(invocation, "judge-endpoint", "judge-model", "judge-api-key-env");
                    using var judge = judgeEndpoint?.CreateChatClient();
                    var options = new EvalRunOptions(invocation.Get<string?>("cache") is { } cacheFolder ? new EvalCache(cacheFolder) : null,
                        judge, judgeEndpoint?.Identity);
                    report = Endpoint(invocation, "endpoint", "endpoint-model", "api-key-env") is { } endpoint
                        ? await RunAsync(suite, endpoint, options, invocation.CancellationToken).ConfigureAwait(false)
                        : await RunAsync(suite, invocation.Get<string?>("model")!, invocation.Get<string?>("root"), options,
                            (folder, metadata) => EvalLineage.Of(suitePath, loadedSuite, folder, metadata), invocation.CancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    if (Directory.Exists(cleanFolder))
                        Directory.Delete(cleanFolder, recursive: true);
                }
                if (invocation.Get<string?>("store") is { } storePath)
                    report = EvalRunStore.Record(RunStore.Open(storePath), report);
                if (invocation.Get<string?>("out") is { } outPath)
                    report.Save(outPath);
                var gate = baseline is null ? null : EvalGate.Check(report, baseline, tolerance);
                if (invocation.Get<string?>("junit") is { } junitPath)
                    JUnit(report, gate).Save(junitPath);
                invocation.Display.Show(new EvalRun(report, gate, contamination));
                invocation.ExitCode = gate is { Passed: false } ? CommandExitCodes.CheckFailed : 0;
            },
            Cli: "eval"),
        new MagicCommand("leaderboard", "Models x tasks from saved results or the run store: metrics, averages, size, tokens/s, lineage, paired-bootstrap comparisons, Bradley-Terry ratings",
            [
                new("results", "comma-separated results JSON files (from eval --out)", Positional: true),
                new("store", "also every finished evaluation recorded in this run store (eval --store)"),
                new("suite", "only the evaluations of this suite (by its name)"),
                new("seed", "seeds the bootstraps", MagicParameterKind.WholeNumber, Default: "1234"),
            ],
            invocation =>
            {
                string? suite = invocation.Get<string?>("suite");
                var reports = invocation.GetList("results").Select(EvalReport.Load).Where(r => suite is null || r.Suite == suite).ToList();
                if (invocation.Get<string?>("store") is { } storePath)
                {
                    // Reading must not create an empty store where a path was mistyped.
                    if (!File.Exists(storePath))
                        throw new FileNotFoundException($"No run store at {storePath}: nothing has been evaluated there yet (eval --store writes it).", storePath);
                    reports.AddRange(EvalRunStore.Load(RunStore.Open(storePath), suite));
                }
                if (reports.Count == 0)
                    throw new ArgumentException(invocation.GetList("results").Length == 0 && invocation.Get<string?>("store") is null
                        ? "Give results files or --store to build a leaderboard from."
                        : $"No evaluation results{(suite is null ? "" : $" of suite '{suite}'")} in what was given.");
                invocation.Display.Show(Leaderboard.Build(reports, invocation.Get<int>("seed")));
                return Task.CompletedTask;
            },
            Cli: "leaderboard"),
        new MagicCommand("eval-build-suites", "Build the shipped suites from the catalog's data (facts, held-out instructions, held-out SOTU), each with its manifest",
            [
                new("out", "the folder the suite folders go in", Default: "evals"),
            ],
            async invocation =>
            {
                foreach (var built in await EvalSuiteBuilder.BuildAsync(invocation.Get<string>("out"), cancellationToken: invocation.CancellationToken).ConfigureAwait(false))
                    invocation.Display.Show(built);
            },
            Cli: "eval build-suites"),
    ],
    [
        Renderer.For<EvalRun>(r => r.ToString() + "\n" + TextTable.Join(EvalText.Run(r)),
            (r, _) => HtmlCard.Card([.. EvalText.Run(r).Select(HtmlCard.Table)]), EvalText.Run),
        Renderer.For<EvalReport>(r => EvalText.Results(r).ToText(), (r, _) => HtmlCard.Card(HtmlCard.Table(EvalText.Results(r))), r => [EvalText.Results(r)]),
        Renderer.For<Leaderboard>(b => TextTable.Join(EvalText.Leaderboard(b)), LeaderboardHtml.Render, EvalText.Leaderboard),
        Renderer.For<ContaminationReport>(c => EvalText.Contamination(c).ToText(), (c, _) => HtmlCard.Card(HtmlCard.Table(EvalText.Contamination(c))), c => [EvalText.Contamination(c)]),
        Renderer.For<BuiltEvalSuite>(b => EvalText.Suite(b).ToText(), (b, _) => HtmlCard.Card(HtmlCard.Table(EvalText.Suite(b))), b => [EvalText.Suite(b)]),
        Renderer.For<EvalGate>(g => g.ToString() + "\n" + EvalText.Gate(g).ToText(), (g, _) => HtmlCard.Card(HtmlCard.Table(EvalText.Gate(g))), g => [EvalText.Gate(g)]),
    ]);

    /// <summary>Loads the checkpoint and the tokenizer its metadata names, and runs the suite on it.</summary>
    static async Task<EvalReport> RunAsync(EvalSuite suite, string folder, string? tokenizerRoot, EvalRunOptions options,
        Func<string, CheckpointMetadata, EvalLineage> lineage, CancellationToken cancellationToken)
    {
        TorchRuntime.EnsureInitialized();
        using var loaded = GptCheckpoint.Load(folder);
        string tokenizerName = loaded.Metadata.Tokenizer
            ?? throw new InvalidDataException($"Checkpoint {loaded.Folder} does not name its tokenizer ({GptCheckpoint.ConfigFile} has no \"tokenizer\").");
        var tokenizer = new TokenizerRegistry(tokenizerRoot).Get(tokenizerName);
        loaded.Model.eval();
        // Cached answers belong to these exact weights: the identity is the checkpoint folder's content hash.
        string? identity = options.Cache is null ? null : $"checkpoint {ManifestFile.Of(loaded.Folder).Sha256}";
        using var model = EvalModel.Local(loaded.Model, tokenizer, identity: identity);
        var clock = Stopwatch.StartNew();
        var results = await EvalRunner.RunAsync(suite, model, options, cancellationToken).ConfigureAwait(false);
        return new EvalReport(suite.Name, Path.GetFileName(Path.TrimEndingDirectorySeparator(loaded.Folder)), results,
            loaded.Model.ParameterCount(), clock.Elapsed.TotalSeconds, EvalReport.Throughput(results), lineage(loaded.Folder, loaded.Metadata));
    }

    /// <summary>The endpoint options <paramref name="url"/> and <paramref name="model"/> name (the model under test
    /// or the judge), or null when <paramref name="url"/> is absent; timeout and retries are shared.</summary>
    static EvalEndpoint? Endpoint(MagicInvocation invocation, string url, string model, string keyVariable)
    {
        if (invocation.Get<string?>(url) is not { } address)
            return null;
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri))
            throw new ArgumentException($"--{url} '{address}' is not an absolute URL.");
        string name = invocation.Get<string?>(model) ?? throw new ArgumentException($"--{url} needs --{model} NAME (the model the endpoint serves).");
        return new EvalEndpoint(uri, name, invocation.Get<string?>(keyVariable), invocation.Get<double>("timeout"), invocation.Get<int>("retries")).Validate();
    }

    /// <summary>Runs the suite on an endpoint (generate_until tasks only; the runner names any other).</summary>
    static async Task<EvalReport> RunAsync(EvalSuite suite, EvalEndpoint endpoint, EvalRunOptions options, CancellationToken cancellationToken)
    {
        using var model = EvalModel.Endpoint(endpoint);
        var clock = Stopwatch.StartNew();
        var results = await EvalRunner.RunAsync(suite, model, options, cancellationToken).ConfigureAwait(false);
        return new EvalReport(suite.Name, endpoint.Model, results, Seconds: clock.Elapsed.TotalSeconds, TokensPerSecond: EvalReport.Throughput(results));
    }

    /// <summary>One test case per task and metric: the gate's checks when there is a baseline, else every metric (passing).</summary>
    static System.Xml.Linq.XDocument JUnit(EvalReport report, EvalGate? gate)
    {
        var cases = gate is null
            ? report.Tasks.SelectMany(t => t.Metrics.Keys.Select(m => new JUnitCase(m, $"{report.Suite}.{t.Task}")))
            : gate.Checks.Select(c => new JUnitCase(c.Metric, $"{report.Suite}.{c.Task}", Failure: c.Passed ? null : c.Failure));
        return JUnitXml.Build($"llmops eval {report.Model}", [new JUnitSuite(report.Suite, [.. cases], report.Seconds)]);
    }
}
