using System.Text.Json;
using LlmOps.Core.Display;
using LlmOps.Core.Evaluation;
using LlmOps.Core.Modeling;
using LlmOps.Core.Platform;
using LlmOps.Core.Tokenization;
using TorchSharp;

namespace LlmOps.Bench;

/// <summary>
/// Multiple-choice examples per second with batched scoring against one forward per choice, measured in the same run on
/// the same model, items and prompts: the whole <see cref="EvalRunner"/> path (prompts, few-shot examples, the
/// harness's encode split, scoring, metrics), only <see cref="LoglikelihoodScorer.BatchSize"/> differs. Causal
/// attention makes a right-padded batched score equal the lone one, so the log-likelihoods and acc are checked equal.
/// </summary>
static class EvalBenchmark
{
    static readonly string[] Words =
    [
        "river", "mountain", "capital", "element", "ocean", "planet", "language", "currency", "island", "desert", "forest",
        "city", "harbour", "valley", "bridge", "castle", "library", "market", "garden", "station", "museum", "theatre",
        "hydrogen", "oxygen", "carbon", "nitrogen", "gold", "silver", "copper", "iron", "Paris", "Rome", "Madrid", "Berlin",
        "Lisbon", "Vienna", "Prague", "Warsaw", "Dublin", "Athens", "Oslo", "Helsinki", "north", "south", "east", "west",
    ];

    public static Task<int> RunAsync(BenchOptions options)
    {
        int items = options.Int("items", 100);
        int[] shotCounts = Ints(options.String("shots", "0,2"), "shots");
        int repeats = options.Int("repeat", 3);
        int[] batches = Ints(options.String("batch", "8,32"), "batch");
        string[] configs = options.String("configs", "baby,small").Split(',');
        TorchRuntime.EnsureInitialized();

        string folder = Directory.CreateTempSubdirectory("llmops-bench-eval").FullName;
        try
        {
            var (data, texts) = Items(items, folder);
            LlmTokenizer tokenizer;
            using (DisplayHook.Use(new ConsoleDisplaySink(TextWriter.Null)))
                tokenizer = LlmTokenizer.FromModel(new BpeTrainer(new BpeTrainerConfig(VocabSize: 1024, Name: "bench-eval")).Train(texts).Model);
            Console.WriteLine($"multiple-choice benchmark: {items} questions x 4 choices, {string.Join(" and ", shotCounts)}-shot prompts, best of {repeats} after a warm-up, {torch.get_num_threads()} threads");
            Console.WriteLine("examples/s: questions scored per second through EvalRunner; one-at-a-time is batch size 1 (one forward per choice)");
            Console.WriteLine();
            Console.WriteLine($"{"model",-24} {"shots",5} {"batch",6} {"examples/s",11} {"tokens/s",10} {"vs one-at-a-time",17} {"same scores",12}");
            foreach (var (name, shots) in configs.SelectMany(c => shotCounts.Select(k => (c, k))))
            {
                var config = name switch
                {
                    "baby" => GptConfig.Baby(tokenizer.VocabSize) with { BlockSize = 256 },
                    "small" => GptConfig.Small(tokenizer.VocabSize) with { Dropout = 0 },
                    _ => throw new ArgumentException($"--configs: unknown '{name}' (baby, small)"),
                };
                using var model = new Gpt(config, seed: 1);
                model.eval();
                string label = $"{name} {config.Layers}/{config.Heads}/{config.EmbeddingSize} ctx {config.BlockSize}";
                var task = new EvalTask("mc", EvalTaskKind.MultipleChoice, data, "Question: {question}\nAnswer:", [EvalMetric.Acc, EvalMetric.AccNorm], FewShot: shots, Seed: 1);
                _ = Score(task, model, tokenizer, batches.Max()); // warm-up: first kernels, allocator, tokenizer caches
                var (singleSeconds, single) = Timing.Best(repeats, () => Score(task, model, tokenizer, 1));
                Console.WriteLine($"{label,-24} {shots,5} {1,6} {items / singleSeconds,11:F1} {single.Tokens / singleSeconds,10:F0} {"1.00x",17} {"",12}");
                foreach (int batch in batches)
                {
                    var (seconds, batched) = Timing.Best(repeats, () => Score(task, model, tokenizer, batch));
                    bool same = batched.Result.Metrics.SequenceEqual(single.Result.Metrics) && batched.Result.Items.Zip(single.Result.Items)
                        .All(p => p.First.LogLikelihoods!.Zip(p.Second.LogLikelihoods!).All(l => Math.Abs(l.First - l.Second) < 1e-3));
                    Console.WriteLine($"{"",-24} {"",5} {batch,6} {items / seconds,11:F1} {batched.Tokens / seconds,10:F0} {singleSeconds / seconds,16:F2}x {(same ? "yes" : "NO"),12}");
                }
            }
            Console.WriteLine();
            Console.WriteLine("rerun: bash bench/eval/run.sh [--items N] [--shots 0,2] [--batch 8,32] [--configs baby,small] [--repeat N]");
            return Task.FromResult(0);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    static int[] Ints(string list, string option) =>
        [.. list.Split(',').Select(v => int.TryParse(v, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out int n) && n >= 0
            ? n : throw new ArgumentException($"--{option}: '{v}' is not a whole number"))];

    /// <summary>The task with a fresh scorer of <paramref name="batchSize"/>, and the tokens the model read. The
    /// multiple-choice path completes synchronously, so waiting here times only the work.</summary>
    static (EvalResult Result, long Tokens) Score(EvalTask task, Gpt model, LlmTokenizer tokenizer, int batchSize)
    {
        var scorer = new LoglikelihoodScorer(model, tokenizer, batchSize);
        var result = EvalRunner.RunTaskAsync(task, new EvalModel(scorer, null)).GetAwaiter().GetResult();
        return (result, scorer.InputTokens);
    }

    /// <summary>Seeded harness-style items with questions and choices of varied length (so batches pad), written as
    /// JSONL; returns the file and the texts to train the tokenizer on.</summary>
    static (string Path, List<string> Texts) Items(int count, string folder)
    {
        var random = new Random(7);
        string Phrase(int min, int max) => string.Join(' ', Enumerable.Range(0, random.Next(min, max + 1)).Select(_ => Words[random.Next(Words.Length)]));
        var lines = new List<string>();
        var texts = new List<string>();
        for (int i = 0; i < count; i++)
        {
            string question = $"Which {Words[random.Next(Words.Length)]} comes after {Phrase(3, 20)}?";
            string[] choices = [.. Enumerable.Range(0, 4).Select(_ => Phrase(1, 6))];
            lines.Add(JsonSerializer.Serialize(new { question, choices, answer = random.Next(4) }));
            texts.Add(question);
            texts.AddRange(choices);
        }
        string path = System.IO.Path.Combine(folder, "mc.jsonl");
        File.WriteAllLines(path, lines);
        return (path, texts);
    }
}
