using LlmOps.Core.Evaluation;
using LlmOps.Tests;

namespace LlmOps.Core.Tests.Evaluation;

public class LeaderboardTests
{
    /// <summary>A report whose multiple-choice task has the given per-item acc (item i on data line i + 1) and a
    /// perplexity task without per-item scores.</summary>
    internal static EvalReport Report(string model, double[] acc, double perplexity, long parameters)
    {
        var items = acc.Select((a, i) => new EvalItemResult(i + 1, $"q{i}", "a", null, [0.0], new Dictionary<string, double> { ["acc"] = a })).ToList();
        var mc = new EvalResult("mc", EvalTaskKind.MultipleChoice, new Dictionary<string, double> { ["acc"] = acc.Average() }, items, items.Count, new Dictionary<string, long>());
        var docs = new EvalResult("docs", EvalTaskKind.LoglikelihoodRolling, new Dictionary<string, double> { ["perplexity"] = perplexity }, [], 3, new Dictionary<string, long> { ["tokens"] = 30 });
        return new EvalReport("suite", model, [mc, docs], parameters, 1.5);
    }

    [Fact]
    public void The_board_ranks_by_average_compares_pairs_and_rates_by_item_wins()
    {
        var random = new Random(3);
        double[] truth = [.. Enumerable.Range(0, 300).Select(_ => random.NextDouble() < 0.5 ? 1.0 : 0.0)];
        double[] strong = [.. truth.Select(t => t == 1 || random.NextDouble() < 0.5 ? 1.0 : 0.0)]; // ~0.75
        double[] weak = [.. truth.Select(t => t == 1 && random.NextDouble() < 0.5 ? 1.0 : 0.0)]; // ~0.25
        double[] twin = [.. strong.Reverse()]; // same accuracy as strong, other items

        var board = Leaderboard.Build([Report("weak", weak, 9, 100), Report("strong", strong, 5, 200), Report("twin", twin, 6, 200)], seed: 4);

        Assert.Equal(["mc/acc", "docs/perplexity"], board.Columns);
        Assert.Equal("weak", board.Rows[^1].Model); // strong and twin tie on average
        Assert.Equal(strong.Average(), board.Rows.Single(r => r.Model == "strong").Average!.Value, 12); // perplexity stays out of the average
        Assert.Equal(200, board.Rows.Single(r => r.Model == "strong").Parameters);
        Assert.Equal(3, board.Comparisons.Count); // three pairs on the one task with per-item scores
        var strongWeak = board.Comparisons.Single(c => new[] { c.ModelA, c.ModelB }.Order().SequenceEqual(["strong", "weak"]));
        Assert.True(strongWeak.Result.Significant, strongWeak.Result.ToString());
        var twins = board.Comparisons.Single(c => new[] { c.ModelA, c.ModelB }.Order().SequenceEqual(["strong", "twin"]));
        Assert.False(twins.Result.Significant, twins.Result.ToString());
        Assert.Equal("weak", board.Ratings[^1].Name);
        Assert.True(board.Ratings[^1].Upper < board.Ratings[0].Lower, string.Join("; ", board.Ratings));
    }

    [Fact]
    public void Errored_items_are_left_out_of_comparisons_and_the_judges_1_to_5_grade_out_of_the_average()
    {
        // Each model's generate_until task: exact_match per item and the judge's grade; model a's first item errored.
        static EvalReport Judged(string model, double[] match, bool firstErrored)
        {
            var items = match.Select((m, i) => firstErrored && i == 0
                ? new EvalItemResult(i + 1, $"q{i}", "a", null, null, new Dictionary<string, double>(), "endpoint: failed 4 time(s)")
                : new EvalItemResult(i + 1, $"q{i}", "a", "a", null, new Dictionary<string, double> { ["exact_match"] = m, ["judge"] = 1 + 4 * m })).ToList();
            var scored = items.Where(i => i.Error is null).ToList();
            var metrics = new Dictionary<string, double>
            {
                ["exact_match"] = scored.Average(i => i.Scores["exact_match"]), ["judge"] = scored.Average(i => i.Scores["judge"]),
            };
            return new EvalReport("suite", model, [new EvalResult("qa", EvalTaskKind.GenerateUntil, metrics, items, scored.Count, new Dictionary<string, long>(), 1)]);
        }

        var board = Leaderboard.Build([Judged("a", [1, 1, 0, 1], firstErrored: true), Judged("b", [0, 0, 0, 1], firstErrored: false)], seed: 1);

        var comparison = Assert.Single(board.Comparisons);
        Assert.Equal("exact_match", comparison.Metric);
        Assert.Equal(2.0 / 3, board.Rows.Single(r => r.Model == "a").Average!.Value, 12); // exact_match only: the judge's 1-5 stays out
        Assert.Equal(3, comparison.Result.Items); // lines 2-4: line 1 has no score for a
    }

    [Fact]
    public void Results_round_trip_through_json()
    {
        var report = Report("m", [1, 0, 1], double.PositiveInfinity, 10);
        string path = Path.Combine(RepoPaths.NewTempFolder("llmops-eval-report"), "r.json");

        report.Save(path);
        var loaded = EvalReport.Load(path);

        Assert.Equal(report.ToJson(), loaded.ToJson());
        Assert.Equal(double.PositiveInfinity, loaded.Value("docs", "perplexity"));
        Assert.Equal([1.0, 0, 1], loaded.Tasks[0].Items.Select(i => i.Scores["acc"]));
    }

    [Fact]
    public void The_gate_fails_drops_past_the_tolerance_and_rises_in_perplexity()
    {
        var baseline = Report("m", [1, 1, 0, 0], 10, 1);
        var now = Report("m", [1, 0, 0, 0], 10.5, 1);

        var strict = EvalGate.Check(now, baseline);
        var loose = EvalGate.Check(now, baseline, tolerance: 0.5);

        Assert.Equal(["mc/acc", "docs/perplexity"], strict.Regressions.Select(r => $"{r.Task}/{r.Metric}"));
        Assert.Equal(-0.25, strict.Checks[0].Delta!.Value, 12);
        Assert.True(loose.Passed, loose.ToString());
        Assert.False(EvalGate.Check(now with { Tasks = [now.Tasks[0]] }, baseline, 1).Passed); // a missing metric fails
    }
}
