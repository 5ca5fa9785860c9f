using System.Text.Json;
using LlmOps.Core.Evaluation;
using LlmOps.Tests;

namespace LlmOps.Core.Tests.Evaluation;

/// <summary>Suites run against a real OpenAI-compatible HTTP endpoint on loopback (<see cref="ScriptedChatServer"/>):
/// answers, retries with backoff, failures recorded per item, and the tasks an endpoint cannot run.</summary>
public class EndpointEvalTests
{
    static readonly Dictionary<string, string> Capitals = new()
    {
        ["Capital of France?"] = "Paris",
        ["Capital of Italy?"] = "Rome",
        ["Capital of Spain?"] = "Barcelona", // wrong on purpose: the expected answer is Madrid
        ["Capital of Japan?"] = "Tokyo",
    };

    internal static string WriteCapitals(string folder)
    {
        string data = Path.Combine(folder, "capitals.jsonl");
        File.WriteAllLines(data, new[] { ("France", "Paris"), ("Italy", "Rome"), ("Spain", "Madrid"), ("Japan", "Tokyo") }
            .Select(c => JsonSerializer.Serialize(new { question = $"Capital of {c.Item1}?", answer = c.Item2 })));
        return data;
    }

    internal static EvalTask CapitalsTask(string data) =>
        new("capitals", EvalTaskKind.GenerateUntil, data, "{question}", [EvalMetric.ExactMatch, EvalMetric.Contains]);

    internal static EvalEndpoint Endpoint(ScriptedChatServer server, int retries = 3, double timeoutSeconds = 10) =>
        new(server.BaseUrl, "scripted", TimeoutSeconds: timeoutSeconds, Retries: retries, RetryDelaySeconds: 0.01);

    [Fact]
    public async Task A_generate_until_task_scores_the_endpoints_answers()
    {
        await using var server = ScriptedChatServer.Answering(Capitals);
        using var model = EvalModel.Endpoint(Endpoint(server));

        var result = await EvalRunner.RunTaskAsync(CapitalsTask(WriteCapitals(RepoPaths.NewTempFolder("llmops-endpoint"))), model);

        Assert.Equal(["Paris", "Rome", "Barcelona", "Tokyo"], result.Items.Select(i => i.Output));
        Assert.Equal(0.75, result.Metrics["exact_match"], 12);
        Assert.Equal(4, result.Count);
        Assert.Equal(0, result.Errors);
        Assert.Equal(4, server.Calls);
        Assert.Empty(server.Faults);
    }

    [Fact]
    public async Task A_flaky_item_succeeds_after_retries_on_5xx_429_and_timeouts()
    {
        // France: 500, 429, then the answer; Italy: silent past the client's timeout once, then the answer.
        await using var server = new ScriptedChatServer((request, call) => (request.User, call) switch
        {
            ("Capital of France?", 1) => ScriptedReply.Fail(500),
            ("Capital of France?", 2) => ScriptedReply.Fail(429),
            ("Capital of Italy?", 1) => ScriptedReply.Hang(TimeSpan.FromSeconds(5)),
            _ => ScriptedReply.Answer(Capitals[request.User]),
        });
        using var model = EvalModel.Endpoint(Endpoint(server, retries: 3, timeoutSeconds: 0.5));

        var result = await EvalRunner.RunTaskAsync(CapitalsTask(WriteCapitals(RepoPaths.NewTempFolder("llmops-endpoint"))), model);

        Assert.Equal(3, server.CallsFor("Capital of France?"));
        Assert.Equal(2, server.CallsFor("Capital of Italy?"));
        Assert.Equal(["Paris", "Rome", "Barcelona", "Tokyo"], result.Items.Select(i => i.Output));
        Assert.All(result.Items, i => Assert.Null(i.Error));
        Assert.Equal(0.75, result.Metrics["exact_match"], 12);
    }

    [Fact]
    public async Task An_item_that_keeps_failing_is_an_error_not_a_wrong_answer()
    {
        await using var server = new ScriptedChatServer((request, _) =>
            request.User == "Capital of Italy?" ? ScriptedReply.Fail(503) : ScriptedReply.Answer(Capitals[request.User]));
        using var model = EvalModel.Endpoint(Endpoint(server, retries: 2));

        var result = await EvalRunner.RunTaskAsync(CapitalsTask(WriteCapitals(RepoPaths.NewTempFolder("llmops-endpoint"))), model);

        Assert.Equal(3, server.CallsFor("Capital of Italy?")); // the first attempt and two retries
        var italy = Assert.Single(result.Items, i => i.Line == 2);
        Assert.Null(italy.Output);
        Assert.Empty(italy.Scores);
        Assert.Contains("503", italy.Error);
        Assert.Contains("3 time(s)", italy.Error);
        Assert.Equal(1, result.Errors);
        Assert.Equal(3, result.Count);
        // Two right of the three answered: the failure counts neither for nor against.
        Assert.Equal(2.0 / 3, result.Metrics["exact_match"], 12);
    }

    [Fact]
    public async Task An_endpoint_that_refuses_connections_gives_errors_for_every_item()
    {
        var server = ScriptedChatServer.Answering(Capitals);
        var endpoint = Endpoint(server, retries: 1);
        await server.DisposeAsync(); // nothing listens on its port now
        using var model = EvalModel.Endpoint(endpoint);

        var result = await EvalRunner.RunTaskAsync(CapitalsTask(WriteCapitals(RepoPaths.NewTempFolder("llmops-endpoint"))), model);

        Assert.Equal((0, 4), (result.Count, result.Errors));
        Assert.All(result.Items, i => Assert.Contains("2 time(s)", i.Error));
    }

    [Fact]
    public async Task A_client_error_is_not_retried_and_stops_the_run()
    {
        await using var server = new ScriptedChatServer((_, _) => ScriptedReply.Fail(401));
        using var model = EvalModel.Endpoint(Endpoint(server));

        var e = await Assert.ThrowsAnyAsync<Exception>(() =>
            EvalRunner.RunTaskAsync(CapitalsTask(WriteCapitals(RepoPaths.NewTempFolder("llmops-endpoint"))), model));

        Assert.IsNotType<EndpointFailedException>(e);
        Assert.Contains("401", e.Message);
        Assert.Equal(1, server.Calls);
    }

    [Fact]
    public async Task Log_likelihood_tasks_on_an_endpoint_fail_before_any_call_naming_each_task_and_why()
    {
        string folder = RepoPaths.NewTempFolder("llmops-endpoint");
        string data = WriteCapitals(folder);
        string choices = Path.Combine(folder, "mc.jsonl");
        File.WriteAllText(choices, """{"question": "2 + 2 =", "choices": ["3", "4"], "answer": 1}""" + "\n");
        var suite = new EvalSuite("mixed",
        [
            CapitalsTask(data),
            new EvalTask("arithmetic", EvalTaskKind.MultipleChoice, choices, "{question}", [EvalMetric.Acc]),
            new EvalTask("prose", EvalTaskKind.LoglikelihoodRolling, data, "{question}", [EvalMetric.Perplexity]),
        ]);
        await using var server = ScriptedChatServer.Answering(Capitals);
        using var model = EvalModel.Endpoint(Endpoint(server));

        var e = await Assert.ThrowsAsync<NotSupportedException>(() => EvalRunner.RunAsync(suite, model));

        Assert.Contains("2 task(s)", e.Message);
        Assert.Contains("'arithmetic' (multiple_choice)", e.Message);
        Assert.Contains("'prose' (loglikelihood_rolling)", e.Message);
        Assert.DoesNotContain("'capitals'", e.Message);
        Assert.Contains("logits", e.Message);
        Assert.Contains(server.BaseUrl.AbsoluteUri.TrimEnd('/'), e.Message);
        Assert.Equal(0, server.Calls);
    }

    [Fact]
    public void A_named_but_unset_api_key_variable_is_an_error_naming_it()
    {
        var endpoint = new EvalEndpoint(new Uri("http://127.0.0.1:9/v1/"), "m", ApiKeyVariable: "LLMOPS_TEST_UNSET_KEY_" + Guid.NewGuid().ToString("N"));

        var e = Assert.Throws<ArgumentException>(() => EvalModel.Endpoint(endpoint));

        Assert.Contains(endpoint.ApiKeyVariable!, e.Message);
    }
}
