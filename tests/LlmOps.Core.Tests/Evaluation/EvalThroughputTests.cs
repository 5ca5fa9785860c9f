using System.Text.Json;
using LlmOps.Core.Evaluation;
using LlmOps.Core.Tests.Chat;
using LlmOps.Tests;
using Microsoft.Extensions.AI;

namespace LlmOps.Core.Tests.Evaluation;

/// <summary>Tokens per second: what each task kind counts, checked against counts taken independently of the runner
/// (timing itself is a benchmark's business, so only its sign is asserted).</summary>
[Collection(ChatModelGroup.Name)]
public class EvalThroughputTests(ChatModelFixture fixture)
{
    [Fact]
    public async Task Generate_until_counts_the_tokens_the_model_generated()
    {
        string folder = RepoPaths.NewTempFolder("llmops-eval-throughput-gen");
        File.WriteAllLines(Path.Combine(folder, "qa.jsonl"), ChatModelFixture.Dialogues.Select(d => JsonSerializer.Serialize(new { question = d.Question, answer = d.Answer })));
        var generation = new EvalGeneration(MaxTokens: 24, Stop: ["!"]);
        var task = new EvalTask("qa", EvalTaskKind.GenerateUntil, Path.Combine(folder, "qa.jsonl"), "{question}", [EvalMetric.ExactMatch], Generation: generation);
        using var client = fixture.Client();

        var result = await EvalRunner.RunTaskAsync(task, new EvalModel(null, client));

        // The same requests asked directly: their usage is what the model generated, stop and end tokens included.
        long expected = 0;
        foreach (var item in result.Items)
        {
            var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, item.Prompt)],
                new ChatOptions { Temperature = 0, MaxOutputTokens = generation.MaxTokens, StopSequences = [.. generation.Stop!] });
            expected += response.Usage!.OutputTokenCount!.Value;
            Assert.True(response.Usage.OutputTokenCount >= fixture.Tokenizer.Encode(item.Output!).Length);
        }
        Assert.Equal(expected, result.Units[EvalResult.GeneratedTokens]);
        Assert.Equal(expected, result.ThroughputTokens);
        Assert.True(result.Seconds > 0);
        Assert.Equal(expected / result.Seconds!.Value, result.TokensPerSecond!.Value, 9);
        Assert.False(result.Units.ContainsKey(EvalResult.InputTokens));
    }

    [Fact]
    public async Task Log_likelihood_tasks_count_the_tokens_the_model_read_and_the_report_sums_them()
    {
        string folder = RepoPaths.NewTempFolder("llmops-eval-throughput-ll");
        var questions = ChatModelFixture.Dialogues.Select(d => (d.Question, Choices: new[] { d.Answer, "A stone.", "Blue" })).ToList();
        File.WriteAllLines(Path.Combine(folder, "mc.jsonl"), questions.Select(q => JsonSerializer.Serialize(new { question = q.Question, choices = q.Choices, answer = 0 })));
        File.WriteAllLines(Path.Combine(folder, "docs.jsonl"), ChatModelFixture.Dialogues.Select(d => JsonSerializer.Serialize(new { text = d.Question + " " + d.Answer })));
        var mc = new EvalTask("mc", EvalTaskKind.MultipleChoice, Path.Combine(folder, "mc.jsonl"), "{question}", [EvalMetric.Acc]);
        var rolling = new EvalTask("ppl", EvalTaskKind.LoglikelihoodRolling, Path.Combine(folder, "docs.jsonl"), "{text}", [EvalMetric.Perplexity]);
        var scorer = new LoglikelihoodScorer(fixture.Model, fixture.Tokenizer, batchSize: 4);
        var model = new EvalModel(scorer, null);

        var results = await EvalRunner.RunAsync(new EvalSuite("throughput", [mc, rolling]), model);

        // Every sequence a forward pass read, padding excluded: the choices after their questions, the documents' windows.
        long mcTokens = questions.Sum(q => q.Choices.Sum(c => (long)scorer.ContinuationSequence(q.Question, " " + c).Ids.Length - 1));
        long rollingTokens = ChatModelFixture.Dialogues.Sum(d => LoglikelihoodScorer.RollingWindows(
            fixture.Tokenizer.Encode(d.Question + " " + d.Answer), scorer.PrefixToken, fixture.Model.Config.BlockSize).Sum(w => (long)w.Ids.Length - 1));
        Assert.Equal(mcTokens, results[0].Units[EvalResult.InputTokens]);
        Assert.Equal(rollingTokens, results[1].Units[EvalResult.InputTokens]);
        Assert.Equal(mcTokens + rollingTokens, scorer.InputTokens);
        Assert.All(results, r => Assert.True(r.TokensPerSecond > 0));
        Assert.Equal((mcTokens + rollingTokens) / (results[0].Seconds!.Value + results[1].Seconds!.Value), EvalReport.Throughput(results)!.Value, 9);

        // Stored in the results JSON and read back.
        string path = Path.Combine(folder, "results.json");
        new EvalReport("throughput", "chat", results, TokensPerSecond: EvalReport.Throughput(results)).Save(path);
        var back = EvalReport.Load(path);
        Assert.Equal(results.Select(r => r.Units[EvalResult.InputTokens]), back.Tasks.Select(r => r.Units[EvalResult.InputTokens]));
        Assert.Equal(results.Select(r => r.Seconds), back.Tasks.Select(r => r.Seconds));
        Assert.Equal(EvalReport.Throughput(results), back.TokensPerSecond);
        Assert.Equal(back.TokensPerSecond, Leaderboard.Build([back]).Rows[0].TokensPerSecond);
    }
}
