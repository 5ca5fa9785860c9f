using System.Text.Json;
using LlmOps.Core.Evaluation;
using LlmOps.Core.Tests.Chat;
using LlmOps.Tests;

namespace LlmOps.Core.Tests.Evaluation;

[Collection(ChatModelGroup.Name)]
public class GenerateUntilTests(ChatModelFixture fixture)
{
    [Fact]
    public async Task Generate_until_scores_a_local_chat_clients_greedy_answers()
    {
        string folder = RepoPaths.NewTempFolder("llmops-eval-generate");
        // The fixture's model answers these four questions as trained; the last expected answer is deliberately
        // not what it says ("Hi there!"), so each metric's partial credit shows.
        var expected = ChatModelFixture.Dialogues.Select(d => d.Question == "Say hi." ? (d.Question, Answer: "Hi!") : (d.Question, d.Answer)).ToList();
        File.WriteAllLines(Path.Combine(folder, "qa.jsonl"), expected.Select(e => JsonSerializer.Serialize(new { question = e.Question, answer = e.Answer })));
        var task = new EvalTask("qa", EvalTaskKind.GenerateUntil, Path.Combine(folder, "qa.jsonl"), "{question}",
            [EvalMetric.ExactMatch, EvalMetric.Contains, EvalMetric.TokenF1, EvalMetric.RougeL, EvalMetric.Bleu, EvalMetric.Regex],
            Generation: new EvalGeneration(MaxTokens: 24, Stop: ["!"]), AnswerPattern: @"(\S.*\.)$");
        using var client = fixture.Client();

        var result = await EvalRunner.RunTaskAsync(task, new EvalModel(null, client));

        string[] outputs = [.. result.Items.Select(i => i.Output!)];
        // The stop string ends "Hi there!" before its "!", as the harness's until does.
        Assert.Equal(["An apple 🍎.", "A banana.", "A pear.", "Hi there"], outputs);
        Assert.Equal(expected.Select(e => e.Question), result.Items.Select(i => i.Prompt));
        Assert.Equal(0.75, result.Metrics["exact_match"], 12);
        Assert.Equal(0.75, result.Metrics["contains"], 12);
        // "hi there" against "hi": precision 1/2, recall 1, F 2/3 (token F1 and ROUGE-L agree here).
        Assert.Equal((3 + 2.0 / 3) / 4, result.Metrics["token_f1"], 12);
        Assert.Equal((3 + 2.0 / 3) / 4, result.Metrics["rouge_l"], 12);
        Assert.Equal(Bleu.Corpus(outputs, [.. expected.Select(e => (IReadOnlyList<string>)[e.Answer])]).Score, result.Metrics["bleu"], 12);
        Assert.InRange(result.Metrics["bleu"], 1, 99);
        Assert.Equal(0.75, result.Metrics["regex"], 12); // "Hi there" has no sentence for the pattern to extract
        Assert.Equal([1L, 2L, 3L, 4L], result.Items.Select(i => i.Line));
    }
}
