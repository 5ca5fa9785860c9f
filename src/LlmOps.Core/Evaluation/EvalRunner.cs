using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;

namespace LlmOps.Core.Evaluation;

/// <summary>Runs suites and tasks: reads the data, builds prompts (few-shot examples drawn with the task's seed), asks
/// the model and computes the metrics. The same seed gives the same prompts, and greedy generation and
/// log-likelihoods make the same scores.</summary>
public static class EvalRunner
{
    /// <summary>Runs every task of <paramref name="suite"/>, in order.</summary>
    public static async Task<IReadOnlyList<EvalResult>> RunAsync(EvalSuite suite, EvalModel model, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(suite);
        var results = new List<EvalResult>(suite.Tasks.Count);
        foreach (var task in suite.Tasks)
            results.Add(await RunTaskAsync(task, model, cancellationToken).ConfigureAwait(false));
        return results;
    }

    /// <summary>Runs one task.</summary>
    public static async Task<EvalResult> RunTaskAsync(EvalTask task, EvalModel model, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(model);
        var records = EvalData.ReadRecords(task.Data);
        var clock = Stopwatch.StartNew();
        long readBefore = model.Scorer?.InputTokens ?? 0;
        var result = task.Kind switch
        {
            EvalTaskKind.GenerateUntil => await GenerateAsync(task, records, model.Chat ?? throw Missing(task, "a chat client"), cancellationToken).ConfigureAwait(false),
            EvalTaskKind.MultipleChoice => MultipleChoice(task, records, model.Scorer ?? throw Missing(task, "a local model to score log-likelihoods"), cancellationToken),
            EvalTaskKind.LoglikelihoodRolling => Rolling(task, records, model.Scorer ?? throw Missing(task, "a local model to score log-likelihoods"), cancellationToken),
            _ => throw new ArgumentOutOfRangeException(nameof(task), task.Kind, null),
        };
        result = result with { Seconds = clock.Elapsed.TotalSeconds };
        // Generation counted its own tokens; a log-likelihood task's are what the scorer read meanwhile.
        return task.Kind == EvalTaskKind.GenerateUntil ? result
            : result with { Units = new Dictionary<string, long>(result.Units, StringComparer.Ordinal) { [EvalResult.InputTokens] = model.Scorer!.InputTokens - readBefore } };
    }

    static InvalidOperationException Missing(EvalTask task, string what) =>
        new($"Task '{task.Name}' ({EvalMetrics.Name(task.Kind)}) needs {what}, and the model given has none.");

    /// <summary>The few-shot example indices for each item, as the harness samples them: one generator per task
    /// seeded with the task's seed, k + 1 distinct items drawn per item, the item itself dropped, the first k kept.</summary>
    internal static int[][] FewShotIndices(int count, int k, int seed, string taskName)
    {
        if (k == 0)
            return [.. Enumerable.Range(0, count).Select(_ => Array.Empty<int>())];
        if (k >= count)
            throw new InvalidOperationException($"Task '{taskName}' asks for {k} few-shot examples but has {count} items; it needs at least {k + 1}.");
        var random = new Random(seed);
        var pool = Enumerable.Range(0, count).ToArray();
        var chosen = new int[count][];
        for (int item = 0; item < count; item++)
        {
            // A partial Fisher-Yates shuffle draws k + 1 distinct indices.
            for (int i = 0; i <= k; i++)
            {
                int j = random.Next(i, count);
                (pool[i], pool[j]) = (pool[j], pool[i]);
            }
            chosen[item] = [.. pool.Take(k + 1).Where(i => i != item).Take(k)];
        }
        return chosen;
    }

    static string WithExamples(IEnumerable<string> examples, string prompt) =>
        string.Concat(examples.Select(e => e + EvalTask.FewShotDelimiter)) + prompt;

    static async Task<EvalResult> GenerateAsync(EvalTask task, IReadOnlyList<EvalRecord> records, IChatClient chat, CancellationToken cancellationToken)
    {
        string[] prompts = [.. records.Select(r => PromptTemplate.Render(task.Prompt, r))];
        string[] targets = [.. records.Select(r => PromptTemplate.Render(task.TargetTemplate, r, "target"))];
        var shots = FewShotIndices(records.Count, task.FewShot, task.Seed, task.Name);
        var generation = task.Generation ?? new EvalGeneration();
        var options = new ChatOptions { Temperature = 0, MaxOutputTokens = generation.MaxTokens, StopSequences = generation.Stop?.ToList() };
        var pattern = task.AnswerPattern is { } p ? new Regex(p) : null;
        var items = new List<EvalItemResult>(records.Count);
        var outputs = new List<string>(records.Count);
        long? generated = 0;
        for (int i = 0; i < records.Count; i++)
        {
            string prompt = WithExamples(shots[i].Select(s => prompts[s] + EvalTask.TargetDelimiter + targets[s]), prompts[i]);
            var response = await chat.GetResponseAsync([new ChatMessage(ChatRole.User, prompt)], options, cancellationToken).ConfigureAwait(false);
            string output = response.Text;
            // A client that does not report usage leaves the task without a token count rather than a guessed one.
            generated = response.Usage?.OutputTokenCount is { } count ? generated + count : null;
            // A remote client may ignore stop sequences; cutting here makes every client's output end the same way.
            foreach (string stop in generation.Stop ?? [])
                if (stop.Length > 0 && output.IndexOf(stop, StringComparison.Ordinal) is int at and >= 0)
                    output = output[..at];
            outputs.Add(output);
            var scores = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var metric in task.Metrics)
            {
                double? score = metric switch
                {
                    EvalMetric.ExactMatch => ExactMatch.Matches(output, targets[i]) ? 1 : 0,
                    EvalMetric.Contains => ExactMatch.Contains(output, targets[i]) ? 1 : 0,
                    EvalMetric.Regex => RegexMatch.Matches(pattern!, output, targets[i]) ? 1 : 0,
                    EvalMetric.TokenF1 => TokenF1.Score(output, targets[i]),
                    EvalMetric.RougeL => RougeL.Score(output, targets[i]),
                    _ => null, // corpus-level: BLEU
                };
                if (score is { } value)
                    scores[EvalMetrics.Name(metric)] = value;
            }
            items.Add(new EvalItemResult(records[i].Line, prompt, targets[i], output, null, scores));
        }
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var metric in task.Metrics)
            metrics[EvalMetrics.Name(metric)] = metric == EvalMetric.Bleu
                ? Bleu.Corpus(outputs, [.. targets.Select(t => (IReadOnlyList<string>)[t])]).Score
                : Mean(items, EvalMetrics.Name(metric));
        var units = generated is { } tokens ? new Dictionary<string, long>(StringComparer.Ordinal) { [EvalResult.GeneratedTokens] = tokens } : [];
        return new EvalResult(task.Name, task.Kind, metrics, items, items.Count, units);
    }

    static EvalResult MultipleChoice(EvalTask task, IReadOnlyList<EvalRecord> records, LoglikelihoodScorer scorer, CancellationToken cancellationToken)
    {
        var questions = records.Select(EvalData.ToMultipleChoice).ToList();
        string[] prompts = [.. records.Select(r => PromptTemplate.Render(task.Prompt, r))];
        var shots = FewShotIndices(records.Count, task.FewShot, task.Seed, task.Name);
        string[] contexts = [.. Enumerable.Range(0, records.Count).Select(i =>
            WithExamples(shots[i].Select(s => prompts[s] + EvalTask.TargetDelimiter + questions[s].Choices[questions[s].Answer]), prompts[i]))];
        // Every choice of every question in one list, so the scorer batches across questions.
        var requests = questions.SelectMany((q, i) => q.Choices.Select(c => (contexts[i], EvalTask.TargetDelimiter + c))).ToList();
        double[] logLikelihoods = scorer.ScoreContinuations(requests, cancellationToken);
        var items = new List<EvalItemResult>(records.Count);
        int offset = 0;
        foreach (var (question, i) in questions.Select((q, i) => (q, i)))
        {
            double[] choiceScores = logLikelihoods[offset..(offset + question.Choices.Count)];
            offset += question.Choices.Count;
            var scores = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var metric in task.Metrics)
                scores[EvalMetrics.Name(metric)] = metric switch
                {
                    EvalMetric.Acc => MultipleChoiceAccuracy.Pick(choiceScores) == question.Answer ? 1 : 0,
                    EvalMetric.AccNorm => MultipleChoiceAccuracy.PickNormalized(choiceScores, question.Choices) == question.Answer ? 1 : 0,
                    _ => throw new InvalidOperationException($"'{EvalMetrics.Name(metric)}' is not a multiple_choice metric."),
                };
            items.Add(new EvalItemResult(question.Record.Line, contexts[i], question.Choices[question.Answer], null, choiceScores, scores));
        }
        var metrics = task.Metrics.ToDictionary(EvalMetrics.Name, m => Mean(items, EvalMetrics.Name(m)), StringComparer.Ordinal);
        return new EvalResult(task.Name, task.Kind, metrics, items, items.Count, new Dictionary<string, long>());
    }

    static EvalResult Rolling(EvalTask task, IReadOnlyList<EvalRecord> records, LoglikelihoodScorer scorer, CancellationToken cancellationToken)
    {
        var items = new List<EvalItemResult>(records.Count);
        double total = 0;
        long tokens = 0, words = 0, bytes = 0;
        foreach (var record in records)
        {
            string document = PromptTemplate.Render(task.Prompt, record);
            var (logLikelihood, count) = scorer.ScoreDocument(document, cancellationToken);
            var one = new Perplexity(logLikelihood, count, Perplexity.CountWords(document), System.Text.Encoding.UTF8.GetByteCount(document));
            total += logLikelihood;
            tokens += one.Tokens;
            words += one.Words;
            bytes += one.Bytes;
            items.Add(new EvalItemResult(record.Line, document, "", null, [logLikelihood], Values(task, one)));
        }
        var corpus = new Perplexity(total, tokens, words, bytes);
        var units = new Dictionary<string, long>(StringComparer.Ordinal) { ["tokens"] = tokens, ["words"] = words, ["bytes"] = bytes };
        return new EvalResult(task.Name, task.Kind, Values(task, corpus), items, items.Count, units);
    }

    static Dictionary<string, double> Values(EvalTask task, Perplexity perplexity) => task.Metrics.ToDictionary(EvalMetrics.Name, m => m switch
    {
        EvalMetric.Perplexity => perplexity.TokenPerplexity,
        EvalMetric.WordPerplexity => perplexity.WordPerplexity,
        EvalMetric.BytePerplexity => perplexity.BytePerplexity,
        EvalMetric.BitsPerByte => perplexity.BitsPerByte,
        _ => throw new InvalidOperationException($"'{EvalMetrics.Name(m)}' is not a loglikelihood_rolling metric."),
    }, StringComparer.Ordinal);

    static double Mean(List<EvalItemResult> items, string metric) => items.Count == 0 ? 0 : items.Average(i => i.Scores[metric]);
}
