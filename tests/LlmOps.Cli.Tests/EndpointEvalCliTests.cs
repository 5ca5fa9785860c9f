using System.Text.Json;
using LlmOps.Core.Evaluation;
using LlmOps.Interactive.Commands;
using LlmOps.Tests;

namespace LlmOps.Cli.Tests;

/// <summary><c>llmops eval --endpoint</c> against a scripted OpenAI-compatible server on loopback.</summary>
public class EndpointEvalCliTests
{
    static (string Suite, string Folder) Setup(bool withMultipleChoice = false)
    {
        string folder = RepoPaths.NewTempFolder("llmops-cli-endpoint");
        File.WriteAllLines(Path.Combine(folder, "qa.jsonl"),
            new[] { ("One plus one?", "two"), ("Colour of the sky?", "blue"), ("Always failing?", "x") }
                .Select(q => JsonSerializer.Serialize(new { question = q.Item1, answer = q.Item2 })));
        File.WriteAllText(Path.Combine(folder, "mc.jsonl"), """{"question": "2 + 2 =", "choices": ["3", "4"], "answer": 1}""" + "\n");
        string mc = withMultipleChoice
            ? """, { "name": "mc", "kind": "multiple_choice", "data": "mc.jsonl", "prompt": "{question}", "metrics": ["acc"] }"""
            : "";
        File.WriteAllText(Path.Combine(folder, "suite.json"), $$"""
            { "name": "remote", "tasks": [
                { "name": "qa", "kind": "generate_until", "data": "qa.jsonl", "prompt": "{question}", "metrics": ["exact_match"] }{{mc}}
            ] }
            """);
        return (Path.Combine(folder, "suite.json"), folder);
    }

    static ScriptedChatServer Server() => new((request, _) => request.User switch
    {
        "One plus one?" => ScriptedReply.Answer("two"),
        "Colour of the sky?" => ScriptedReply.Answer("green"),
        _ => ScriptedReply.Fail(500),
    });

    [Fact]
    public async Task Eval_on_an_endpoint_scores_answers_and_reports_failed_items_as_errors()
    {
        var (suite, folder) = Setup();
        await using var server = Server();
        string results = Path.Combine(folder, "out.json");

        var run = await Cli.Run("eval", suite, "--endpoint", server.BaseUrl.AbsoluteUri, "--endpoint-model", "scripted", "--retries", "1", "--out", results);

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        var qa = Assert.Single(EvalReport.Load(results).Tasks);
        Assert.Equal((2, 1), (qa.Count, qa.Errors));
        Assert.Equal(0.5, qa.Metrics["exact_match"], 12);
        Assert.Equal("scripted", EvalReport.Load(results).Model);
        Assert.Contains("1 item(s) not scored", run.Output, StringComparison.Ordinal);
        Assert.Contains("HTTP 500", run.Output, StringComparison.Ordinal);
        Assert.Equal(2, server.CallsFor("Always failing?"));
    }

    [Fact]
    public async Task Eval_with_a_cache_asks_the_endpoint_nothing_on_a_rerun_but_the_failed_item()
    {
        var (suite, folder) = Setup();
        await using var server = Server();
        string cache = Path.Combine(folder, "cache"), first = Path.Combine(folder, "first.json"), second = Path.Combine(folder, "second.json");
        string[] common = ["eval", suite, "--endpoint", server.BaseUrl.AbsoluteUri, "--endpoint-model", "scripted", "--retries", "0", "--cache", cache];

        var one = await Cli.Run([.. common, "--out", first]);
        var two = await Cli.Run([.. common, "--out", second]);

        Assert.True(one.ExitCode == 0 && two.ExitCode == 0, one.Error + two.Error);
        Assert.Equal((1, 1, 2), (server.CallsFor("One plus one?"), server.CallsFor("Colour of the sky?"), server.CallsFor("Always failing?")));
        Assert.Equal(EvalReport.Load(first).Tasks[0].Items.Select(i => i.Output), EvalReport.Load(second).Tasks[0].Items.Select(i => i.Output));
    }

    [Fact]
    public async Task Eval_grades_with_the_judge_given_on_the_command_line()
    {
        string folder = RepoPaths.NewTempFolder("llmops-cli-judge");
        File.WriteAllLines(Path.Combine(folder, "qa.jsonl"), [.. new[] { ("One plus one?", "two"), ("Colour of the sky?", "blue") }
            .Select(q => JsonSerializer.Serialize(new { question = q.Item1, answer = q.Item2 }))]);
        File.WriteAllText(Path.Combine(folder, "suite.json"), """
            { "name": "judged", "tasks": [
                { "name": "qa", "kind": "generate_until", "data": "qa.jsonl", "prompt": "{question}", "metrics": ["judge"],
                  "judge": { "rubric": "5: right; 1: wrong." } } ] }
            """);
        await using var server = Server();
        await using var judge = new ScriptedChatServer((request, _) =>
            ScriptedReply.Answer(request.User.EndsWith("Answer to grade:\ntwo", StringComparison.Ordinal) ? "Score: 5\nReasons: right" : "Score: 1\nReasons: wrong"));
        string results = Path.Combine(folder, "out.json");

        var run = await Cli.Run("eval", Path.Combine(folder, "suite.json"), "--endpoint", server.BaseUrl.AbsoluteUri, "--endpoint-model", "scripted",
            "--judge-endpoint", judge.BaseUrl.AbsoluteUri, "--judge-model", "judge", "--out", results);

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        var qa = Assert.Single(EvalReport.Load(results).Tasks);
        Assert.Equal(3.0, qa.Metrics["judge"], 12);
        Assert.Equal(["right", "wrong"], qa.Items.Select(i => i.Reasons));
        Assert.Equal(2, judge.Calls);
    }

    [Fact]
    public async Task Eval_on_an_endpoint_refuses_log_likelihood_tasks_as_bad_input_naming_them()
    {
        var (suite, _) = Setup(withMultipleChoice: true);
        await using var server = Server();

        var run = await Cli.Run("eval", suite, "--endpoint", server.BaseUrl.AbsoluteUri, "--endpoint-model", "scripted");

        Assert.Equal(CommandExitCodes.BadInput, run.ExitCode);
        Assert.Contains("'mc' (multiple_choice)", run.Error, StringComparison.Ordinal);
        Assert.Contains("logits", run.Error, StringComparison.Ordinal);
        Assert.Equal(0, server.Calls);
    }

    [Fact]
    public async Task Eval_needs_exactly_one_of_model_and_endpoint()
    {
        var (suite, _) = Setup();

        var neither = await Cli.Run("eval", suite);
        var endpointWithoutModel = await Cli.Run("eval", suite, "--endpoint", "http://127.0.0.1:9/v1");

        Assert.Equal(CommandExitCodes.BadInput, neither.ExitCode);
        Assert.Contains("--endpoint", neither.Error, StringComparison.Ordinal);
        Assert.Equal(CommandExitCodes.BadInput, endpointWithoutModel.ExitCode);
        Assert.Contains("--endpoint-model", endpointWithoutModel.Error, StringComparison.Ordinal);
    }
}
