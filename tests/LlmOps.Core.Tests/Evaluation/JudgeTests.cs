using System.Text.Json;
using System.Text.RegularExpressions;
using LlmOps.Core.Data;
using LlmOps.Core.Evaluation;
using LlmOps.Tests;
using static LlmOps.Core.Tests.Evaluation.EndpointEvalTests;

namespace LlmOps.Core.Tests.Evaluation;

/// <summary>LLM-as-judge: reading judges' answers, rubric grading inside a suite, and pairwise comparison with the
/// position swap, against scripted judges on loopback.</summary>
public class JudgeTests
{
    [Theory]
    [InlineData("""{"score": 4, "reasons": "Right city, no detail."}""", 4, "Right city, no detail.")]
    [InlineData("Sure.\n```json\n{\"Rating\": \"2\", \"explanation\": [\"Wrong city.\", \"Confident.\"]}\n```", 2, "Wrong city. Confident.")]
    [InlineData("Score: 5\nReasons: exactly the reference.", 5, "exactly the reference.")]
    [InlineData("**Score:** 3/5\nPartly right.", 3, "Partly right.")]
    public void A_rubric_grade_is_read_from_json_or_a_score_line(string raw, int score, string reasons)
    {
        var grade = RubricJudge.Parse(raw);

        Assert.Equal((score, reasons, raw), (grade.Score, grade.Reasons, grade.Raw));
        Assert.Null(grade.Error);
    }

    [Theory]
    [InlineData("Looks fine to me.", "no 1-5 score")]
    [InlineData("""{"score": 7, "reasons": "great"}""", "score 7 is not a whole number from 1 to 5")]
    [InlineData("Score: 3.5", "score 3.5")]
    public void An_unreadable_or_out_of_range_grade_is_an_error_keeping_the_raw_text(string raw, string reason)
    {
        var grade = RubricJudge.Parse(raw);

        Assert.Null(grade.Score);
        Assert.Contains(reason, grade.Error);
        Assert.Contains(raw, grade.Error);
        Assert.Equal(raw, grade.Raw);
    }

    [Theory]
    [InlineData("""{"winner": "B", "reasons": "B is right"}""", PairwiseWinner.B)]
    [InlineData("After weighing both: [[A]]", PairwiseWinner.A)]
    [InlineData("[[C]]", PairwiseWinner.Tie)]
    [InlineData("Winner: tie\nBoth fine.", PairwiseWinner.Tie)]
    [InlineData(" A. ", PairwiseWinner.A)]
    [InlineData("I like the second one", null)]
    public void A_pairwise_verdict_is_read_from_json_brackets_a_line_or_a_bare_label(string raw, PairwiseWinner? winner) =>
        Assert.Equal(winner, PairwiseJudge.Parse(raw));

    static readonly Regex Graded = new(@"Reference answer:\n(.*)\n\nAnswer to grade:\n(.*)$", RegexOptions.Singleline);

    /// <summary>A judge that gives 5 to an answer equal to the reference, 2 with a score line to Barcelona, and an
    /// answer without a score to anything else.</summary>
    static ScriptedReply Grade(ScriptedRequest request)
    {
        var match = Graded.Match(request.User);
        Assert.True(match.Success, request.User);
        Assert.Contains("Grade the answer", request.System, StringComparison.Ordinal);
        return (match.Groups[1].Value, match.Groups[2].Value) switch
        {
            var (reference, answer) when reference == answer => ScriptedReply.Answer("""{"score": 5, "reasons": "matches the reference"}"""),
            (_, "Barcelona") => ScriptedReply.Answer("Score: 2\nReasons: wrong city"),
            _ => ScriptedReply.Answer("Looks fine to me."),
        };
    }

    [Fact]
    public async Task The_judge_metric_grades_each_answer_through_the_suites_judge_endpoint_and_caches_readable_grades()
    {
        string folder = RepoPaths.NewTempFolder("llmops-judge");
        WriteCapitals(folder);
        await using var judge = new ScriptedChatServer((request, _) => Grade(request));
        // Italy's answer is wrong and graded 2; Japan's "Kyoto" gets an answer without a score: an error, not a grade.
        await using var server = ScriptedChatServer.Answering(new Dictionary<string, string>
        {
            ["Capital of France?"] = "Paris", ["Capital of Italy?"] = "Barcelona", ["Capital of Spain?"] = "Madrid", ["Capital of Japan?"] = "Kyoto",
        });
        File.WriteAllText(Path.Combine(folder, "suite.json"), JsonSerializer.Serialize(new
        {
            name = "judged",
            tasks = new[]
            {
                new
                {
                    name = "capitals", kind = "generate_until", data = "capitals.jsonl", prompt = "{question}", metrics = new[] { "exact_match", "judge" },
                    judge = new { rubric = "5: the right capital; 1: not a city.", endpoint = new { baseUrl = judge.BaseUrl, model = "judge", retryDelaySeconds = 0.01 } },
                },
            },
        }));
        var suite = EvalSuite.Load(Path.Combine(folder, "suite.json"));
        using var model = EvalModel.Endpoint(Endpoint(server));
        string cache = Path.Combine(folder, "cache");

        var result = Assert.Single(await EvalRunner.RunAsync(suite, model, new EvalRunOptions(new EvalCache(cache))));
        var again = Assert.Single(await EvalRunner.RunAsync(suite, model, new EvalRunOptions(new EvalCache(cache))));

        Assert.Equal((5.0 + 2 + 5) / 3, result.Metrics["judge"], 12);
        Assert.Equal(2.0 / 3, result.Metrics["exact_match"], 12);
        Assert.Equal((3, 1), (result.Count, result.Errors));
        Assert.Equal("matches the reference", result.Items[0].Reasons);
        Assert.Equal("wrong city", result.Items[1].Reasons);
        Assert.Equal(2.0, result.Items[1].Scores["judge"]);
        var japan = result.Items[3];
        Assert.Equal("Kyoto", japan.Output);
        Assert.Contains("Looks fine to me.", japan.Error);
        Assert.Empty(japan.Scores);
        // The rerun asks the model nothing and the judge only the grade it could not read.
        Assert.Equal(4, server.Calls);
        Assert.Equal(5, judge.Calls);
        Assert.Equal(result.Metrics, again.Metrics);
        Assert.Empty(judge.Faults);
    }

    [Fact]
    public async Task The_run_judge_overrides_the_suites_and_a_missing_judge_is_named_before_any_call()
    {
        string folder = RepoPaths.NewTempFolder("llmops-judge");
        var task = CapitalsTask(WriteCapitals(folder)) with { Metrics = [EvalMetric.Judge], Judge = new EvalJudge("5: right; 1: wrong.") };
        await using var server = ScriptedChatServer.Answering(new Dictionary<string, string> { ["Capital of France?"] = "Paris" });
        await using var judge = new ScriptedChatServer((request, _) => Grade(request));
        using var model = EvalModel.Endpoint(Endpoint(server));

        var e = await Assert.ThrowsAsync<NotSupportedException>(() => EvalRunner.RunAsync(new EvalSuite("s", [task]), model));
        Assert.Contains("'capitals'", e.Message);
        Assert.Contains("--judge-endpoint", e.Message);
        Assert.Equal(0, server.Calls);

        using var judgeClient = Endpoint(judge).CreateChatClient();
        var result = await EvalRunner.RunTaskAsync(task, model, new EvalRunOptions(Judge: judgeClient));
        Assert.Equal(4, judge.Calls);
        Assert.Equal(5.0, result.Items[0].Scores["judge"]);
    }

    [Fact]
    public void A_judge_metric_without_a_rubric_names_the_field()
    {
        string folder = RepoPaths.NewTempFolder("llmops-judge");
        WriteCapitals(folder);
        File.WriteAllText(Path.Combine(folder, "suite.json"), """
            { "name": "s", "tasks": [
              { "name": "t", "kind": "generate_until", "data": "capitals.jsonl", "prompt": "{question}", "metrics": ["judge"] } ] }
            """);

        var e = Assert.Throws<DataFormatException>(() => EvalSuite.Load(Path.Combine(folder, "suite.json")));

        Assert.Equal("tasks[0].judge.rubric", e.Field);
    }

    static readonly (string Question, string Right, string Wrong)[] Questions =
    [
        ("Capital of France?", "Paris", "Lyon"), ("Capital of Italy?", "Rome", "Milan"), ("Capital of Spain?", "Madrid", "Seville"),
    ];

    static readonly Regex Compared = new(@"Question:\n(.*)\n\nAnswer A:\n(.*)\n\nAnswer B:\n(.*)$", RegexOptions.Singleline);

    [Fact]
    public async Task A_fair_judge_picks_the_right_answer_in_both_orders_and_its_outcomes_rank_the_better_model_first()
    {
        // Prefers the right capital wherever it is shown; answers in MT-Bench's brackets for variety.
        await using var server = new ScriptedChatServer((request, _) =>
        {
            var match = Compared.Match(request.User);
            string right = Questions.Single(q => q.Question == match.Groups[1].Value).Right;
            return ScriptedReply.Answer(match.Groups[2].Value == right ? "A is right. [[A]]" : """{"winner": "B"}""");
        });
        using var client = Endpoint(server).CreateChatClient();
        var judge = new PairwiseJudge(client);

        // Model 0 is right on the first two questions and model 1 wrong; on the last both give the same wrong answer.
        var outcomes = new List<PairwiseOutcome>();
        foreach (var (question, right, wrong) in Questions)
        {
            var verdict = await judge.CompareAsync(question, wrong, question == "Capital of Spain?" ? wrong : right);
            if (question != "Capital of Spain?")
            {
                Assert.Equal((PairwiseWinner.B, PairwiseWinner.B, PairwiseWinner.B), (verdict.Winner, verdict.AFirst, verdict.BFirst));
                outcomes.Add(verdict.Outcome(1, 0)!.Value);
            }
            else
                Assert.Equal(PairwiseWinner.Tie, verdict.Winner); // equal answers: the judge picks the second slot both times, so the orders disagree
        }
        Assert.Equal(6, server.Calls);
        Assert.All(outcomes, o => Assert.Equal(new PairwiseOutcome(0, 1), o));
        double[] strengths = BradleyTerry.Fit(2, outcomes);
        Assert.True(strengths[0] > strengths[1], $"{strengths[0]} vs {strengths[1]}");
    }

    [Fact]
    public async Task A_position_biased_judge_that_always_says_A_gives_ties_that_decide_nothing()
    {
        await using var server = new ScriptedChatServer((_, _) => ScriptedReply.Answer("""{"winner": "A", "reasons": "first is best"}"""));
        using var client = Endpoint(server).CreateChatClient();
        var judge = new PairwiseJudge(client, "Prefer the correct capital.");

        foreach (var (question, right, wrong) in Questions)
        {
            var verdict = await judge.CompareAsync(question, right, wrong);

            Assert.Equal((PairwiseWinner.Tie, PairwiseWinner.A, PairwiseWinner.B), (verdict.Winner, verdict.AFirst, verdict.BFirst));
            Assert.Null(verdict.Outcome(0, 1));
            Assert.Null(verdict.Error);
        }
        Assert.Equal(6, server.Calls);
    }

    [Fact]
    public async Task An_unreadable_pairwise_answer_or_a_failing_judge_is_an_error_not_a_tie()
    {
        await using var server = new ScriptedChatServer((request, _) =>
            request.User.Contains("Italy", StringComparison.Ordinal) ? ScriptedReply.Fail(500) : ScriptedReply.Answer("Both have merit."));
        using var client = Endpoint(server, retries: 1).CreateChatClient();
        var judge = new PairwiseJudge(client);

        var unreadable = await judge.CompareAsync("Capital of France?", "Paris", "Lyon");
        var failed = await judge.CompareAsync("Capital of Italy?", "Rome", "Milan");

        Assert.Null(unreadable.Winner);
        Assert.Contains("Both have merit.", unreadable.Error);
        Assert.Null(failed.Winner);
        Assert.Contains("HTTP 500", failed.Error);
        Assert.Null(failed.Outcome(0, 1));
    }
}
