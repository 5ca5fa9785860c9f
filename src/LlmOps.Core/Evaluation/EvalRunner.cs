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
    /// <exception cref="NotSupportedException">The model cannot run some task (an endpoint and a log-likelihood task):
    /// thrown before any task runs, naming each such task and why.</exception>
    public static Task<IReadOnlyList<EvalResult>> RunAsync(EvalSuite suite, EvalModel model, CancellationToken cancellationToken = default) =>
        RunAsync(suite, model, new EvalRunOptions(), cancellationToken);

    /// <summary>Runs every task of <paramref name="suite"/>, in order, with a cache (or a judge).</summary>
    /// <exception cref="NotSupportedException">The model cannot run some task (an endpoint and a log-likelihood task):
    /// thrown before any task runs, naming each such task and why.</exception>
    public static async Task<IReadOnlyList<EvalResult>> RunAsync(EvalSuite suite, EvalModel model, EvalRunOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(suite);
        ArgumentNullException.ThrowIfNull(model);
        // Every task is checked before any runs, so an endpoint run stops before its first paid call.
        string[] cannot = [.. suite.Tasks.Select(t => CannotRun(t, model, options)).OfType<string>()];
        if (cannot.Length > 0)
            throw new NotSupportedException($"Suite '{suite.Name}' has {cannot.Length} task(s) that {model.Description} cannot run: {string.Join("; ", cannot)}.");
        var results = new List<EvalResult>(suite.Tasks.Count);
        foreach (var task in suite.Tasks)
            results.Add(await RunTaskAsync(task, model, options, cancellationToken).ConfigureAwait(false));
        return results;
    }

    /// <summary>Runs one task.</summary>
    public static Task<EvalResult> RunTaskAsync(EvalTask task, EvalModel model, CancellationToken cancellationToken = default) =>
        RunTaskAsync(task, model, new EvalRunOptions(), cancellationToken);

    /// <summary>Runs one task with a cache (or a judge).</summary>
    public static async Task<EvalResult> RunTaskAsync(EvalTask task, EvalModel model, EvalRunOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        if (CannotRun(task, model, options) is { } reason)
            throw new NotSupportedException($"{char.ToUpperInvariant(reason[0])}{reason[1..]}.");
        var records = EvalData.ReadRecords(task.Data);
        var clock = Stopwatch.StartNew();
        long readBefore = model.Scorer?.InputTokens ?? 0;
        var result = task.Kind switch
        {
            EvalTaskKind.GenerateUntil => await GenerateAsync(task, records, model, options, cancellationToken).ConfigureAwait(false),
            EvalTaskKind.MultipleChoice => MultipleChoice(task, records, model.Scorer!, cancellationToken),
            EvalTaskKind.LoglikelihoodRolling => Rolling(task, records, model.Scorer!, cancellationToken),
            _ => throw new ArgumentOutOfRangeException(nameof(task), task.Kind, null),
        };
        result = result with { Seconds = clock.Elapsed.TotalSeconds };
        // Generation counted its own tokens; a log-likelihood task's are what the scorer read meanwhile.
        return task.Kind == EvalTaskKind.GenerateUntil ? result
            : result with { Units = new Dictionary<string, long>(result.Units, StringComparer.Ordinal) { [EvalResult.InputTokens] = model.Scorer!.InputTokens - readBefore } };
    }

    /// <summary>Why <paramref name="model"/> (with <paramref name="run"/>'s judge) cannot run <paramref name="task"/>, or null when it can.</summary>
    static string? CannotRun(EvalTask task, EvalModel model, EvalRunOptions run) => task.Kind switch
    {
        EvalTaskKind.GenerateUntil when model.Chat is null =>
            $"task '{task.Name}' (generate_until) generates text, and {model.Description} has no chat client",
        EvalTaskKind.GenerateUntil when task.Metrics.Contains(EvalMetric.Judge) && run.Judge is null && task.Judge?.Endpoint is null =>
            $"task '{task.Name}' asks for the judge metric and no judge model was given (judge.endpoint in the suite, or --judge-endpoint)",
        EvalTaskKind.MultipleChoice or EvalTaskKind.LoglikelihoodRolling when model.Scorer is null =>
            $"task '{task.Name}' ({EvalMetrics.Name(task.Kind)}) scores the log-likelihood of given tokens, which needs the model's logits, "
            + $"and {model.Description} answers with generated text only; run it on a local checkpoint",
        _ => null,
    };

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

    static async Task<EvalResult> GenerateAsync(EvalTask task, IReadOnlyList<EvalRecord> records, EvalModel model, EvalRunOptions run, CancellationToken cancellationToken)
    {
        string[] prompts = [.. records.Select(r => PromptTemplate.Render(task.Prompt, r))];
        string[] targets = [.. records.Select(r => PromptTemplate.Render(task.TargetTemplate, r, "target"))];
        var shots = FewShotIndices(records.Count, task.FewShot, task.Seed, task.Name);
        var generation = task.Generation ?? new EvalGeneration();
        var options = new ChatOptions { Temperature = 0, MaxOutputTokens = generation.MaxTokens, StopSequences = generation.Stop?.ToList() };
        var pattern = task.AnswerPattern is { } p ? new Regex(p) : null;
        var generator = new CachedAsker(model.Chat!, model.Identity, run.Cache, task.Name);
        // The judge: the run's (command line) before the task's own endpoint, which is made here and freed at the end.
        using var ownJudge = task.Metrics.Contains(EvalMetric.Judge) && run.Judge is null ? task.Judge!.Endpoint!.CreateChatClient() : null;
        var judge = run.Judge ?? ownJudge;
        var asker = judge is null ? null : new CachedAsker(judge, run.Judge is null ? task.Judge!.Endpoint!.Identity : run.JudgeIdentity, run.Cache, task.Name + "/judge");
        var rubric = judge is null ? null : new RubricJudge(judge, task.Judge!.Rubric);
        var items = new List<EvalItemResult>(records.Count);
        for (int i = 0; i < records.Count; i++)
        {
            string prompt = WithExamples(shots[i].Select(s => prompts[s] + EvalTask.TargetDelimiter + targets[s]), prompts[i]);
            var item = new EvalItemResult(records[i].Line, prompt, targets[i], null, null, new Dictionary<string, double>());
            // The cache key covers everything that shapes the answer besides the model: prompt, limit, stop strings.
            string request = string.Join('\0', [prompt, $"max_tokens={generation.MaxTokens}", .. generation.Stop ?? []]);
            string output;
            try
            {
                output = await generator.AskAsync(records[i].Line, [new ChatMessage(ChatRole.User, prompt)], options, request, cancellationToken).ConfigureAwait(false);
            }
            catch (EndpointFailedException e)
            {
                items.Add(item with { Error = e.Message });
                continue;
            }
            // A remote client may ignore stop sequences; cutting here makes every client's output end the same way.
            foreach (string stop in generation.Stop ?? [])
                if (stop.Length > 0 && output.IndexOf(stop, StringComparison.Ordinal) is int at and >= 0)
                    output = output[..at];
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
                    _ => null, // corpus-level: BLEU; the judge below
                };
                if (score is { } value)
                    scores[EvalMetrics.Name(metric)] = value;
            }
            item = item with { Output = output };
            if (rubric is not null)
            {
                var grade = await GradeAsync(rubric, asker!, records[i].Line, prompts[i], output, targets[i], cancellationToken).ConfigureAwait(false);
                if (grade.Score is not { } graded)
                {
                    items.Add(item with { Error = grade.Error, Reasons = grade.Raw });
                    continue;
                }
                scores[EvalMetrics.Name(EvalMetric.Judge)] = graded;
                item = item with { Reasons = grade.Reasons };
            }
            items.Add(item with { Scores = scores });
        }
        var scored = items.Where(i => i.Error is null).ToList();
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var metric in task.Metrics)
            metrics[EvalMetrics.Name(metric)] = metric == EvalMetric.Bleu
                ? Bleu.Corpus([.. scored.Select(i => i.Output!)], [.. scored.Select(i => (IReadOnlyList<string>)[i.Target])]).Score
                : Mean(scored, EvalMetrics.Name(metric));
        var units = generator.GeneratedTokens is { } tokens ? new Dictionary<string, long>(StringComparer.Ordinal) { [EvalResult.GeneratedTokens] = tokens } : [];
        return new EvalResult(task.Name, task.Kind, metrics, items, scored.Count, units, items.Count - scored.Count);
    }

    /// <summary>The judge's grade of one answer (the question without few-shot examples, the target as reference);
    /// only a readable grade is cached.</summary>
    static async Task<JudgeGrade> GradeAsync(RubricJudge rubric, CachedAsker judge, long line, string question, string answer, string reference,
        CancellationToken cancellationToken)
    {
        var messages = rubric.Prompt(question, answer, reference);
        string request = string.Join('\0', messages.Select(m => $"{m.Role}: {m.Text}"));
        try
        {
            string raw = await judge.AskAsync(line, messages, RubricJudge.Options, request, cancellationToken, keep: r => RubricJudge.Parse(r).Score is not null)
                .ConfigureAwait(false);
            return RubricJudge.Parse(raw);
        }
        catch (EndpointFailedException e)
        {
            return new JudgeGrade(null, "", "", $"judge: {e.Message}");
        }
    }

    /// <summary>Asks a chat client, serving and storing answers through the cache when there is one and the client
    /// has an identity.</summary>
    sealed class CachedAsker(IChatClient chat, string? identity, EvalCache? cache, string task)
    {
        /// <summary>Tokens the client generated for the answers asked so far, as its usage reports them; null once an
        /// answer came without usage or from the cache (no count rather than a guessed one, and no throughput for
        /// answers that cost nothing).</summary>
        public long? GeneratedTokens { get; private set; } = 0;

        public async Task<string> AskAsync(long line, IEnumerable<ChatMessage> messages, ChatOptions options, string request, CancellationToken cancellationToken,
            Func<string, bool>? keep = null)
        {
            if (cache is not null && identity is not null && cache.TryGet(identity, task, line, request, out string cached))
            {
                GeneratedTokens = null;
                return cached;
            }
            var response = await chat.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
            GeneratedTokens = response.Usage?.OutputTokenCount is { } count ? GeneratedTokens + count : null;
            string answer = response.Text;
            if (cache is not null && identity is not null && (keep?.Invoke(answer) ?? true))
                cache.Add(identity, task, line, request, answer);
            return answer;
        }
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
