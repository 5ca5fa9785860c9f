using LlmOps.Core.Chat;
using LlmOps.Core.Evaluation;
using LlmOps.Core.Modeling;
using LlmOps.Core.Platform;
using LlmOps.Core.Tokenization;
using LlmOps.Tests;
using TorchSharp;
using static TorchSharp.torch;

namespace LlmOps.Core.Tests.Evaluation;

public class LoglikelihoodScorerTests
{
    static readonly string[] Corpus =
    [
        "The capital of France is Paris.", "The capital of Italy is Rome.", "Water boils at one hundred degrees.",
        "Two plus two is four.", "The sky is blue and the grass is green.", "Cats chase mice and dogs chase cats.",
    ];

    static readonly (string Question, string[] Choices, int Answer)[] Questions =
    [
        ("The capital of France is", ["Paris.", "Rome.", "a very large cheese."], 0),
        ("Two plus two is", ["four.", "green.", "one hundred degrees."], 0),
        ("The sky is", ["blue", "a mouse"], 0),
        ("Cats chase", ["mice and dogs chase cats.", "Rome."], 0),
        ("Water boils at", ["four.", "one hundred degrees."], 1),
    ];

    static (Gpt Model, LlmTokenizer Tokenizer) TinyModel(int blockSize = 16)
    {
        TorchRuntime.EnsureInitialized();
        var tokenizer = LlmTokenizer.FromModel(new BpeTrainer(new BpeTrainerConfig(VocabSize: 300, Name: "eval-tiny")).Train(Corpus).Model);
        var model = new Gpt(new GptConfig(tokenizer.VocabSize, BlockSize: blockSize, Layers: 2, Heads: 2, EmbeddingSize: 32), seed: 11);
        model.eval();
        return (model, tokenizer);
    }

    /// <summary>log p(continuation | context) straight from Gpt.Logits: one forward of the whole
    /// sequence, log-softmax, the continuation's tokens picked out and summed.</summary>
    static double ByHand(Gpt model, LlmTokenizer tokenizer, string context, string continuation)
    {
        int[] contextIds = tokenizer.Encode(context);
        int[] whole = tokenizer.Encode(context + continuation);
        Assert.Equal(contextIds, whole[..contextIds.Length]); // the test's texts split cleanly at the boundary
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var logProbs = nn.functional.log_softmax(model.Logits(tensor(whole[..^1].Select(t => (long)t).ToArray(), [1, whole.Length - 1])), -1);
        double sum = 0;
        for (int t = contextIds.Length; t < whole.Length; t++)
            sum += logProbs[0, t - 1, whole[t]].item<float>();
        return sum;
    }

    [Fact]
    public async Task Multiple_choice_acc_and_acc_norm_equal_values_computed_by_hand_from_the_logits()
    {
        var (model, tokenizer) = TinyModel(blockSize: 64);
        using var _ = model;
        string folder = RepoPaths.NewTempFolder("llmops-eval-mc-run");
        File.WriteAllLines(Path.Combine(folder, "mc.jsonl"), Questions.Select(q =>
            System.Text.Json.JsonSerializer.Serialize(new { question = q.Question, choices = q.Choices, answer = q.Answer })));
        File.WriteAllText(Path.Combine(folder, "suite.json"), """
            { "name": "mc", "tasks": [ { "name": "facts", "kind": "multiple_choice", "data": "mc.jsonl", "prompt": "{question}", "metrics": ["acc", "acc_norm"] } ] }
            """);
        var suite = EvalSuite.Load(Path.Combine(folder, "suite.json"));

        using var local = EvalModel.Local(model, tokenizer, batchSize: 4, ChatTemplate.Completion);

        var result = Assert.Single(await EvalRunner.RunAsync(suite, local));

        double acc = 0, accNorm = 0;
        for (int q = 0; q < Questions.Length; q++)
        {
            var (question, choices, answer) = Questions[q];
            double[] byHand = [.. choices.Select(c => ByHand(model, tokenizer, question, " " + c))];
            Assert.Equal(byHand, result.Items[q].LogLikelihoods!, (a, b) => Math.Abs(a - b) < 1e-4);
            int pick = Array.IndexOf(byHand, byHand.Max());
            double[] perChar = [.. byHand.Select((l, i) => l / choices[i].Length)];
            int pickNorm = Array.IndexOf(perChar, perChar.Max());
            acc += pick == answer ? 1 : 0;
            accNorm += pickNorm == answer ? 1 : 0;
            Assert.Equal(pick == answer ? 1.0 : 0.0, result.Items[q].Scores["acc"]);
            Assert.Equal(pickNorm == answer ? 1.0 : 0.0, result.Items[q].Scores["acc_norm"]);
        }
        Assert.Equal(acc / Questions.Length, result.Metrics["acc"], 12);
        Assert.Equal(accNorm / Questions.Length, result.Metrics["acc_norm"], 12);
        Assert.Equal(Questions.Length, result.Count);
    }

    [Fact]
    public void Batched_scores_equal_one_at_a_time_scores()
    {
        var (model, tokenizer) = TinyModel();
        using var _ = model;
        var requests = Questions.SelectMany(q => q.Choices.Select(c => (q.Question, " " + c))).ToList();
        // A context longer than the block is cut from the left, in a batch as alone.
        requests.Add((string.Join(" ", Corpus), " Paris."));

        double[] batched = new LoglikelihoodScorer(model, tokenizer, batchSize: 8).ScoreContinuations(requests);
        double[] single = new LoglikelihoodScorer(model, tokenizer, batchSize: 1).ScoreContinuations(requests);

        Assert.Equal(single, batched, (a, b) => Math.Abs(a - b) < 1e-5);
        Assert.All(batched, s => Assert.True(s < 0));
    }

    [Fact]
    public void Rolling_windows_predict_every_token_once_within_the_block()
    {
        int[] tokens = [.. Enumerable.Range(100, 37)];
        foreach (int? prefix in new int?[] { 0, null })
        {
            var windows = LoglikelihoodScorer.RollingWindows(tokens, prefix, blockSize: 16);
            var predicted = windows.SelectMany(w => w.Ids[^w.Scored..]).ToArray();
            Assert.Equal(prefix is null ? tokens[1..] : tokens, predicted);
            Assert.All(windows, w => Assert.True(w.Ids.Length <= 17 && w.Scored <= w.Ids.Length - 1));
            Assert.Equal(3, windows.Count); // 37 or 36 targets: 16 + 16 + the rest
            // Later windows carry a full block of preceding text as context.
            Assert.Equal(17, windows[^1].Ids.Length);
        }
    }

    [Fact]
    public void Perplexity_equals_exp_of_the_trainers_loss_on_the_same_tokens()
    {
        var (model, tokenizer) = TinyModel(blockSize: 16);
        using var _ = model;
        var scorer = new LoglikelihoodScorer(model, tokenizer, batchSize: 3);
        int eot = tokenizer.SpecialTokens[BpeTrainerConfig.EndOfText];
        Assert.Equal(eot, scorer.PrefixToken);

        // A short document fits one window: the loss is NextTokenLoss of <|endoftext|> followed by the document.
        string shortDocument = "The sky is blue.";
        var (shortLogLikelihood, shortTokens) = scorer.ScoreDocument(shortDocument);
        int[] shortIds = tokenizer.Encode(shortDocument);
        Assert.Equal(shortIds.Length, shortTokens);
        using (var ids = tensor(new long[] { eot }.Concat(shortIds.Select(t => (long)t)).ToArray(), [1, shortIds.Length + 1]))
        using (no_grad())
        using (var loss = model.NextTokenLoss(ids))
            Assert.Equal(loss.item<float>(), -shortLogLikelihood / shortTokens, 1e-5);

        // A long document spans several windows: the trainer's CrossEntropy over the same windows, padded targets -1.
        string document = string.Join(" ", Corpus);
        var (logLikelihood, tokens) = scorer.ScoreDocument(document);
        var windows = LoglikelihoodScorer.RollingWindows(tokenizer.Encode(document), eot, 16);
        Assert.True(windows.Count >= 3, $"{windows.Count} windows");
        int time = windows.Max(w => w.Ids.Length) - 1;
        var x = new long[windows.Count * time];
        var y = Enumerable.Repeat(-1L, windows.Count * time).ToArray();
        for (int w = 0; w < windows.Count; w++)
            for (int t = 0; t < windows[w].Ids.Length - 1; t++)
            {
                x[w * time + t] = windows[w].Ids[t];
                if (t >= windows[w].Ids.Length - 1 - windows[w].Scored)
                    y[w * time + t] = windows[w].Ids[t + 1];
            }
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        double validationLoss = Gpt.CrossEntropy(model.Logits(tensor(x, [windows.Count, time])), tensor(y, [windows.Count, time])).item<float>();
        var perplexity = new Perplexity(logLikelihood, tokens, Perplexity.CountWords(document), System.Text.Encoding.UTF8.GetByteCount(document));
        Assert.Equal(tokenizer.Encode(document).Length, tokens);
        Assert.Equal(validationLoss, -logLikelihood / tokens, 1e-5); // float32 loss against a float64 sum
        Assert.Equal(1, perplexity.TokenPerplexity / Math.Exp(validationLoss), 1e-5);
        Assert.Equal(validationLoss * tokens / (perplexity.Bytes * Math.Log(2)), perplexity.BitsPerByte, 1e-4);
    }

    [Fact]
    public async Task A_rolling_task_reports_corpus_perplexities_deterministically()
    {
        var (model, tokenizer) = TinyModel();
        using var _ = model;
        string folder = RepoPaths.NewTempFolder("llmops-eval-rolling");
        File.WriteAllLines(Path.Combine(folder, "docs.jsonl"), Corpus.Select(c => System.Text.Json.JsonSerializer.Serialize(new { text = c })));
        var task = new EvalTask("wiki", EvalTaskKind.LoglikelihoodRolling, Path.Combine(folder, "docs.jsonl"), "{text}",
            [EvalMetric.Perplexity, EvalMetric.WordPerplexity, EvalMetric.BitsPerByte]);
        var scorer = new LoglikelihoodScorer(model, tokenizer);

        var result = await EvalRunner.RunTaskAsync(task, new EvalModel(scorer, null));
        var again = await EvalRunner.RunTaskAsync(task, new EvalModel(scorer, null));

        double total = result.Items.Sum(i => i.LogLikelihoods![0]);
        Assert.Equal(Math.Exp(-total / result.Units["tokens"]), result.Metrics["perplexity"], 9);
        Assert.Equal(Math.Exp(-total / Corpus.Sum(c => c.Split(' ').Length)), result.Metrics["word_perplexity"], 6);
        Assert.Equal(-total / (Corpus.Sum(c => c.Length) * Math.Log(2)), result.Metrics["bits_per_byte"], 9);
        Assert.Equal(result.Metrics, again.Metrics);
        // An untrained model is near uniform: perplexity close to the vocabulary size.
        Assert.InRange(result.Metrics["perplexity"], tokenizer.VocabSize / 3.0, tokenizer.VocabSize * 3.0);
    }
}
