using System.Globalization;
using LlmOps.Core.Data;
using LlmOps.Core.Tracking;

namespace LlmOps.Core.Evaluation;

/// <summary>Evaluations in the run store: each one an <c>eval</c> run whose parent is the model's training run and
/// whose data manifest is the suite's, with every task/metric as a metric, the checkpoint and suite as hashed
/// artifacts, and the whole results JSON (per-item scores included, for the bootstraps) as a document, so a
/// leaderboard can be rebuilt from the store alone.</summary>
public static class EvalRunStore
{
    /// <summary>The run store's kind for evaluation runs.</summary>
    public const string RunKind = "eval";

    /// <summary>The name of an evaluation run's results document.</summary>
    public const string ResultsDocument = "eval-results";

    /// <summary>Records <paramref name="report"/> as a finished evaluation run.</summary>
    /// <returns>The report with <see cref="EvalLineage.EvalRun"/> set to the new run's id (as stored); a report without
    /// lineage gets one that names only its model, its suite (by name) and the run.</returns>
    public static EvalReport Record(RunStore store, EvalReport report)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(report);
        var lineage = report.Lineage;
        using var run = store.StartRun($"{report.Suite} on {report.Model}", RunKind,
            new { report.Suite, report.Model, report.Parameters, Lineage = lineage }, lineage?.SuiteData, parentRun: lineage?.ModelRun);
        var metrics = report.Tasks.SelectMany(t => t.Metrics.Select(m => new KeyValuePair<string, double>(Leaderboard.Key(t.Task, m.Key), m.Value))).ToList();
        if (report.TokensPerSecond is { } tokensPerSecond)
            metrics.Add(new("tokens_per_second", tokensPerSecond));
        if (report.Seconds is { } seconds)
            metrics.Add(new("seconds", seconds));
        run.Log(0, metrics);
        if (lineage is not null)
        {
            if (Directory.Exists(lineage.Model))
                run.AddArtifact("model", lineage.Model);
            if (File.Exists(lineage.Suite))
                run.AddArtifact("suite", lineage.Suite);
        }
        var recorded = report with { Lineage = (lineage ?? new EvalLineage(report.Model, null, null, report.Suite, null)) with { EvalRun = run.Id } };
        run.AddDocument(ResultsDocument, recorded.ToJson());
        run.Finish(RunStatus.Finished, string.Create(CultureInfo.InvariantCulture, $"{report.Tasks.Count} tasks of {report.Suite} on {report.Model}"));
        return recorded;
    }

    /// <summary>The results of every finished evaluation in <paramref name="store"/>, oldest first; only those of
    /// <paramref name="suite"/> when given.</summary>
    /// <exception cref="DataFormatException">A stored results document is corrupt; the message names the store and run.</exception>
    public static IReadOnlyList<EvalReport> Load(RunStore store, string? suite = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        return [.. store.Documents(ResultsDocument, RunKind, RunStatus.Finished)
            .Select(d => EvalReport.FromJson(d.Content, $"{store.Path} (run {d.RunId})"))
            .Where(r => suite is null || string.Equals(r.Suite, suite, StringComparison.Ordinal))];
    }
}
