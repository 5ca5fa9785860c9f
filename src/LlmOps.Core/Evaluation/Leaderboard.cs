namespace LlmOps.Core.Evaluation;

/// <summary>Models x tasks x metrics from saved results, with paired-bootstrap comparisons of every two models on
/// every task they share and Bradley-Terry ratings from their item-by-item wins.</summary>
/// <param name="Columns">The task/metric keys, in first-seen order.</param>
/// <param name="Rows">One row per model, best average first.</param>
/// <param name="Comparisons">Every two models on every task both ran, on the task's first per-item metric.</param>
/// <param name="Ratings">Bradley-Terry scores, strongest first (empty with fewer than two models or no decided item).</param>
public sealed record Leaderboard(IReadOnlyList<string> Columns, IReadOnlyList<LeaderboardRow> Rows,
    IReadOnlyList<LeaderboardComparison> Comparisons, IReadOnlyList<BradleyTerryScore> Ratings)
{
    /// <summary>The column key of <paramref name="metric"/> on <paramref name="task"/>.</summary>
    public static string Key(string task, string metric) => $"{task}/{metric}";

    /// <summary>Builds the board. Reports of one model (several suites) merge into its row; items pair up by their data line.</summary>
    /// <param name="reports">Saved results.</param>
    /// <param name="seed">Seeds the bootstraps.</param>
    /// <param name="resamples">Bootstrap resamples per comparison and for the rating intervals.</param>
    public static Leaderboard Build(IReadOnlyList<EvalReport> reports, int seed = 1234, int resamples = 1000)
    {
        ArgumentNullException.ThrowIfNull(reports);
        if (reports.Count == 0)
            throw new ArgumentException("A leaderboard needs at least one results file.", nameof(reports));
        var columns = reports.SelectMany(r => r.Tasks.SelectMany(t => t.Metrics.Keys.Select(m => Key(t.Task, m)))).Distinct(StringComparer.Ordinal).ToList();
        var models = reports.GroupBy(r => r.Model, StringComparer.Ordinal).ToList();
        var rows = models.Select(g =>
        {
            var values = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var task in g.SelectMany(r => r.Tasks))
                foreach (var (metric, value) in task.Metrics)
                    values[Key(task.Task, metric)] = value;
            var unit = g.SelectMany(r => r.Tasks.SelectMany(t => t.Metrics.Where(m => IsUnitScore(m.Key)).Select(m => m.Value))).ToList();
            return new LeaderboardRow(g.Key, g.Select(r => r.Parameters).FirstOrDefault(p => p is not null),
                g.Select(r => r.TokensPerSecond).FirstOrDefault(t => t is not null), values, unit.Count > 0 ? unit.Average() : null,
                g.Select(r => r.Lineage).LastOrDefault(l => l is not null));
        }).OrderByDescending(r => r.Average ?? double.NegativeInfinity).ToList();

        // Per model, per task: the item scores of the task's first per-item metric, by data line.
        var tasks = models.ToDictionary(g => g.Key, g => g.SelectMany(r => r.Tasks).GroupBy(t => t.Task).ToDictionary(t => t.Key, t => t.Last()), StringComparer.Ordinal);
        var names = rows.Select(r => r.Model).ToList();
        var comparisons = new List<LeaderboardComparison>();
        var outcomes = new List<PairwiseOutcome>();
        for (int a = 0; a < names.Count; a++)
            for (int b = a + 1; b < names.Count; b++)
                foreach (var (taskName, resultA) in tasks[names[a]])
                {
                    if (!tasks[names[b]].TryGetValue(taskName, out var resultB) || FirstItemMetric(resultA) is not { } metric)
                        continue;
                    var scoresB = resultB.Items.Where(i => i.Scores.ContainsKey(metric)).ToDictionary(i => i.Line, i => i.Scores[metric]);
                    var pairs = resultA.Items.Where(i => i.Scores.ContainsKey(metric) && scoresB.ContainsKey(i.Line))
                        .Select(i => (A: i.Scores[metric], B: scoresB[i.Line])).ToList();
                    if (pairs.Count == 0)
                        continue;
                    comparisons.Add(new(taskName, metric, names[a], names[b],
                        PairedBootstrap.Compare([.. pairs.Select(p => p.A)], [.. pairs.Select(p => p.B)], resamples, seed)));
                    // An item one model got better than the other is a win; ties decide nothing.
                    outcomes.AddRange(pairs.Where(p => p.A != p.B).Select(p => p.A > p.B ? new PairwiseOutcome(a, b) : new PairwiseOutcome(b, a)));
                }
        var ratings = names.Count < 2 || outcomes.Count == 0 ? []
            : BradleyTerry.FitWithIntervals(names, outcomes, Math.Min(resamples, 200), seed).OrderByDescending(s => s.Score).ToList();
        return new(columns, rows, comparisons, ratings);
    }

    static bool IsUnitScore(string metric) => EvalMetrics.IsUnitScore(metric);

    static string? FirstItemMetric(EvalResult result) =>
        // Any item, not the first: an errored item has no scores.
        result.Metrics.Keys.FirstOrDefault(m => result.Items.Any(i => i.Scores.ContainsKey(m)));
}
