using System.Diagnostics;
using System.Globalization;
using LlmOps.Core.Display;
using LlmOps.Core.Evaluation;
using LlmOps.Core.Modeling;
using LlmOps.Core.Platform;
using LlmOps.Core.Tokenization;
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
        new MagicCommand("eval", "Run an evaluation suite on a checkpoint; with --baseline, fail when a metric regressed past the tolerance",
            [
                new("suite", "the suite (JSON; data paths relative to it)", Positional: true, Required: true),
                new("model", "a checkpoint folder (model.safetensors + config.json naming its tokenizer)", Required: true),
                new("root", "folder of trained tokenizers (default: artifacts/tokenizers)"),
                new("baseline", "a previous results JSON to hold this run to"),
                new("tolerance", "how far (absolute) a metric may get worse than the baseline; perplexities fail on rising", MagicParameterKind.Number, Default: "0"),
                new("out", "write the results JSON here"),
                new("junit", "write JUnit XML here (one test case per task and metric)"),
                new("train-files", "comma-separated training files: flag items sharing a 13-gram with them (GPT-3's contamination check)"),
                new("exclude-contaminated", "leave the flagged items out of the run (needs --train-files)", MagicParameterKind.Flag),
            ],
            async invocation =>
            {
                double tolerance = invocation.Get<double>("tolerance");
                if (tolerance < 0 || double.IsNaN(tolerance))
                    throw new ArgumentException($"--tolerance must be 0 or more, not {tolerance.ToString(CultureInfo.InvariantCulture)}.");
                // Read the baseline before the (long) run, so a wrong path fails at once.
                var baseline = invocation.Get<string?>("baseline") is { } baselinePath ? EvalReport.Load(baselinePath) : null;
                var suite = EvalSuite.Load(invocation.Get<string>("suite"));
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
                    report = await RunAsync(suite, invocation.Get<string>("model"), invocation.Get<string?>("root"), invocation.CancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    if (Directory.Exists(cleanFolder))
                        Directory.Delete(cleanFolder, recursive: true);
                }
                if (invocation.Get<string?>("out") is { } outPath)
                    report.Save(outPath);
                var gate = baseline is null ? null : EvalGate.Check(report, baseline, tolerance);
                if (invocation.Get<string?>("junit") is { } junitPath)
                    JUnit(report, gate).Save(junitPath);
                invocation.Display.Show(new EvalRun(report, gate, contamination));
                invocation.ExitCode = gate is { Passed: false } ? CommandExitCodes.CheckFailed : 0;
            },
            Cli: "eval"),
        new MagicCommand("leaderboard", "Models x tasks from saved results: metrics, averages, size, paired-bootstrap comparisons, Bradley-Terry ratings",
            [
                new("results", "comma-separated results JSON files (from eval --out)", Positional: true, Required: true),
                new("seed", "seeds the bootstraps", MagicParameterKind.WholeNumber, Default: "1234"),
            ],
            invocation =>
            {
                invocation.Display.Show(Leaderboard.Build([.. invocation.GetList("results").Select(EvalReport.Load)], invocation.Get<int>("seed")));
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
    static async Task<EvalReport> RunAsync(EvalSuite suite, string folder, string? tokenizerRoot, CancellationToken cancellationToken)
    {
        TorchRuntime.EnsureInitialized();
        using var loaded = GptCheckpoint.Load(folder);
        string tokenizerName = loaded.Metadata.Tokenizer
            ?? throw new InvalidDataException($"Checkpoint {loaded.Folder} does not name its tokenizer ({GptCheckpoint.ConfigFile} has no \"tokenizer\").");
        var tokenizer = new TokenizerRegistry(tokenizerRoot).Get(tokenizerName);
        loaded.Model.eval();
        using var model = EvalModel.Local(loaded.Model, tokenizer);
        var clock = Stopwatch.StartNew();
        var results = await EvalRunner.RunAsync(suite, model, cancellationToken).ConfigureAwait(false);
        return new EvalReport(suite.Name, Path.GetFileName(Path.TrimEndingDirectorySeparator(loaded.Folder)), results,
            loaded.Model.ParameterCount(), clock.Elapsed.TotalSeconds);
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
