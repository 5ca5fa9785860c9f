using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using LlmOps.Core.Data;
using LlmOps.Core.Data.Cleaning;
using LlmOps.Core.Data.Mixing;
using LlmOps.Core.Datasets;
using LlmOps.Core.FineTuning.Instructions;
using LlmOps.Core.IO;
using LlmOps.Core.Platform;

namespace LlmOps.Core.Evaluation;

/// <summary>
/// Builds the shipped evaluation suites from the catalog's real data, each in its own folder with a
/// <c>suite.json</c>, one JSONL file per task and the data stage's <c>manifest.json</c>:
/// <list type="bullet">
/// <item><c>facts</c>: multiple-choice questions on countries (capital, currency, continent), element symbols and U.S.
/// state capitals; the distractors are other facts' values of the same field, drawn with the seed.</item>
/// <item><c>instructions</c>: generate_until with exact match on <see cref="InstructionGenerator"/>'s test split, made
/// with 04-sft's seed and shares, so none of it is in that notebook's (or 05-peft's) training data.</item>
/// <item><c>sotu</c>: cloze (the last word of a sentence among distractors that end other sentences) and perplexity on
/// the State of the Union test split, which pretraining (03-pretrain) never reads.</item>
/// </list>
/// The same data and config give the same files byte for byte; an unchanged rebuild keeps the existing manifest (its
/// id covers everything but the time it was written), so it changes no byte at all.
/// </summary>
public static partial class EvalSuiteBuilder
{
    /// <summary>The suite file's name in each suite folder.</summary>
    public const string SuiteFile = "suite.json";

    /// <summary>The suites built, each a folder of that name.</summary>
    public static IReadOnlyList<string> SuiteNames { get; } = ["facts", "instructions", "sotu"];

    /// <summary>The SOTU split 01-data, 02-tokenizer and 03-pretrain make (by content hash); the suite reads its test part.</summary>
    public static SplitRatios SotuSplit { get; } = new(0.9, 0.05, 0.05);

    static readonly JsonSerializerOptions Jsonl = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Fetches (or finds cached) the fact datasets and the SOTU corpus, cleans and splits SOTU as the course
    /// does (in a scratch folder, deleted afterwards), and writes every suite under <paramref name="folder"/>.</summary>
    /// <param name="folder">Where the suite folders go (the repository's <c>evals/</c>).</param>
    /// <param name="config">What to draw; the defaults make the shipped suites.</param>
    /// <param name="fetcher">The fact datasets' cache (the default cache when null; SOTU always comes through the default one, as <c>data clean sotu</c> reads it).</param>
    /// <param name="catalog">The dataset catalog; the project's when null.</param>
    /// <param name="cancellationToken">Stops the fetches and the cleaning.</param>
    public static async Task<IReadOnlyList<BuiltEvalSuite>> BuildAsync(string folder, EvalSuiteBuilderConfig? config = null,
        DatasetFetcher? fetcher = null, DatasetCatalog? catalog = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        config = (config ?? new EvalSuiteBuilderConfig()).Validate();
        fetcher ??= new DatasetFetcher(DatasetFetcher.DefaultCacheRoot());
        catalog ??= DatasetCatalog.Default();
        var facts = await InstructionFacts.FetchAsync(fetcher, catalog, cancellationToken).ConfigureAwait(false);
        // Labelled as the data stage labels a catalog input, and hashed without the cache's own fetch record (it holds a time).
        var factInputs = InstructionFacts.DatasetNames.Select(catalog.Find)
            .Select(e => ManifestFile.Of(Path.Combine(fetcher.FolderOf(e), "package")) with { Path = $"dataset:{e.Name}@{e.Version}" }).ToList();
        string scratch = Path.Combine(Path.GetTempPath(), "llmops-suites", Guid.NewGuid().ToString("N"));
        CleaningJobResult cleaned;
        try
        {
            cleaned = await DataCleaner.RunAsync(new CleaningJob("sotu", scratch, Split: SotuSplit), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (Directory.Exists(scratch))
                Directory.Delete(scratch, recursive: true);
        }
        var seeds = new SeedScope(config.Seed);
        return
        [
            Facts(Path.Combine(folder, "facts"), facts, factInputs, config, seeds),
            Instructions(Path.Combine(folder, "instructions"), facts, factInputs, config),
            Sotu(Path.Combine(folder, "sotu"), cleaned.Split!, cleaned.Manifest, config, seeds),
        ];
    }

    /// <summary>One task as it is written: the task, its items (one JSON object each) and its manifest step.</summary>
    sealed record Built(EvalTask Task, IReadOnlyList<object> Items, ManifestStep Step);

    static BuiltEvalSuite Facts(string folder, InstructionFacts facts, IReadOnlyList<ManifestFile> inputs, EvalSuiteBuilderConfig config, SeedScope seeds)
    {
        const string prompt = "Question: {question}\nAnswer:";
        Built Task(string name, IEnumerable<(string Subject, string Question, string Answer)> rows)
        {
            var all = rows.Where(r => r.Answer.Length > 0).DistinctBy(r => r.Subject, StringComparer.Ordinal).ToList();
            // The distractors are values of the same field, so every choice is a plausible answer of the right kind.
            string[] field = [.. all.Select(r => r.Answer).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
            if (field.Length < config.Choices)
                throw new InvalidOperationException($"Task {name}: its field has {field.Length} distinct values, fewer than {config.Choices} choices.");
            var random = seeds.Random("mc-choices:" + name);
            var items = seeds.Shuffle(all, "mc-order:" + name).Take(config.FactsPerTask).Select(fact =>
            {
                var (choices, answer) = WithDistractors(random, field.Where(a => a != fact.Answer), fact.Answer, config.Choices);
                return (object)new { question = fact.Question, choices, answer, subject = fact.Subject };
            }).ToList();
            return new(new EvalTask(name, EvalTaskKind.MultipleChoice, name + ".jsonl", prompt, [EvalMetric.Acc, EvalMetric.AccNorm]), items,
                Step(name, all.Count, items.Count, new() { ["not drawn"] = all.Count - items.Count }));
        }

        var tasks = new[]
        {
            Task("country-capital", facts.Countries.Select(c => (c.Name, $"What is the capital of {c.Name}?", c.Capital))),
            Task("country-currency", facts.Countries.Select(c => (c.Name, $"What is the currency of {c.Name}?", c.Currency))),
            Task("country-continent", facts.Countries.Select(c => (c.Name, $"On which continent is {c.Name}?", c.Continent))),
            Task("element-symbol", facts.Elements.Select(e => (e.Name, $"What is the chemical symbol of {e.Name}?", e.Symbol))),
            Task("state-capital", facts.States.Select(s => (s.Name, $"What is the capital of {s.Name}?", s.Capital))),
        };
        return Write(folder, "facts", tasks, inputs, new
        {
            seed = config.Seed, factsPerTask = config.FactsPerTask, choices = config.Choices, prompt,
            distractors = "other facts' values of the same field, drawn with the seed; the answer's position drawn too",
        });
    }

    static BuiltEvalSuite Instructions(string folder, InstructionFacts facts, IReadOnlyList<ManifestFile> inputs, EvalSuiteBuilderConfig config)
    {
        var set = InstructionGenerator.Generate(facts, new InstructionGeneratorConfig(config.InstructionSeed, config.InstructionExamplesPerTask,
            TestFraction: config.InstructionTestFraction, ValidationFraction: config.InstructionValidationFraction));
        var tasks = new List<Built>();
        foreach (var group in set.Entries.GroupBy(e => e.Example.Task!))
        {
            var test = group.Where(e => e.Split == InstructionSplit.Test).Select(e => e.Example).ToList();
            if (test.Count == 0)
                continue;
            // Room for the longest answer even from a byte-level tokenizer (one token per byte), and a little more.
            int maxTokens = test.Max(e => Encoding.UTF8.GetByteCount(e.Output)) + 8;
            var task = new EvalTask(group.Key, EvalTaskKind.GenerateUntil, group.Key + ".jsonl", "{prompt}", [EvalMetric.ExactMatch],
                Target: "{answer}", Generation: new EvalGeneration(maxTokens));
            var step = new ManifestStep(group.Key, group.Count(), test.Count, 0, new Dictionary<string, long>(StringComparer.Ordinal)
            {
                ["train"] = group.Count(e => e.Split == InstructionSplit.Train),
                ["validation"] = group.Count(e => e.Split == InstructionSplit.Validation),
            });
            tasks.Add(new(task, [.. test.Select(e => (object)new { prompt = e.UserText, answer = e.Output, instruction = e.Instruction, input = e.Input })], step));
        }
        return Write(folder, "instructions", tasks, inputs, new
        {
            seed = config.InstructionSeed, examplesPerTask = config.InstructionExamplesPerTask,
            testFraction = config.InstructionTestFraction, validationFraction = config.InstructionValidationFraction,
            heldOut = "InstructionGenerator's test split with 04-sft's and 05-peft's seed and shares: a skill input is test only when its hash " +
                "falls below the test share, and those notebooks train on inputs above test + validation; a fact is asked in the phrasing held out from training",
        });
    }

    static BuiltEvalSuite Sotu(string folder, DataSplit split, DataManifest source, EvalSuiteBuilderConfig config, SeedScope seeds)
    {
        // Addresses repeat set phrases across the years, so a held-out sentence can still be in the training text: an item
        // sharing a 13-gram with train or validation (ContaminationCheck's definition) is left out, and so is one too
        // short to check.
        var pretraining = new HashSet<ulong>();
        foreach (var document in split.Train.Concat(split.Validation))
            pretraining.UnionWith(ContaminationCheck.NGrams(document.Text).Select(Fnv));
        bool Clean(string text) => ContaminationCheck.NGrams(text).Any() && !ContaminationCheck.NGrams(text).Any(g => pretraining.Contains(Fnv(g)));
        const string overlap = "shares a 13-gram with train or validation";

        var sentences = split.Test.Select(d => (Address: Path.GetFileNameWithoutExtension(d.Id), Sentences: SentenceBreak().Split(d.Text.Trim())
            .Select(s => Space().Replace(s.Trim(), " ")).Where(s => s.Length > 0).ToArray())).ToList();

        // Cloze: a sentence of 14 to 40 words without its last word; the choices are that word and words that end other sentences.
        var sentenceEnds = sentences.SelectMany(d => d.Sentences.Select((s, i) => (d.Address, Index: i, Text: s, Words: s.Split(' '))))
            .Where(c => c.Words.Length is >= 14 and <= 40 && LastWord().IsMatch(c.Words[^1]))
            .Select(c => (c.Address, c.Index, c.Text, Question: string.Join(' ', c.Words[..^1]), Answer: LastWord().Match(c.Words[^1]).Groups[1].Value)).ToList();
        var candidates = sentenceEnds.Where(c => Clean(c.Text)).ToList();
        string[] field = [.. candidates.Select(c => c.Answer.ToLowerInvariant()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        var random = seeds.Random("cloze-choices");
        var chosen = seeds.Shuffle(candidates, "cloze-order").Take(config.ClozeItems)
            .OrderBy(c => c.Address, StringComparer.Ordinal).ThenBy(c => c.Index).ToList();
        var cloze = chosen.Select(c =>
        {
            var (choices, answer) = WithDistractors(random, field.Where(w => !string.Equals(w, c.Answer, StringComparison.OrdinalIgnoreCase)), c.Answer, config.Choices);
            return (object)new { question = c.Question, choices, answer, address = c.Address, sentence = c.Index };
        }).ToList();

        // Perplexity: passages of whole sentences, at least PassageWords words, a few from every held-out address.
        var passages = new List<object>();
        int allPassages = 0, overlapping = 0;
        foreach (var (address, text) in sentences)
        {
            var own = new List<(int Index, string Text)>();
            var current = new List<string>();
            int words = 0;
            foreach (string sentence in text)
            {
                current.Add(sentence);
                words += sentence.Split(' ').Length;
                if (words < config.PassageWords)
                    continue;
                own.Add((own.Count, string.Join(' ', current)));
                current.Clear();
                words = 0;
            }
            allPassages += own.Count;
            int before = own.Count;
            own = [.. own.Where(p => Clean(p.Text))];
            overlapping += before - own.Count;
            passages.AddRange(seeds.Shuffle(own, "passages:" + address).Take(config.PassagesPerAddress).OrderBy(p => p.Index)
                .Select(p => (object)new { text = p.Text, address, passage = p.Index }));
        }

        var tasks = new[]
        {
            new Built(new EvalTask("cloze", EvalTaskKind.MultipleChoice, "cloze.jsonl", "{question}", [EvalMetric.Acc, EvalMetric.AccNorm]), cloze,
                Step("cloze", sentenceEnds.Count, cloze.Count, new() { [overlap] = sentenceEnds.Count - candidates.Count, ["not drawn"] = candidates.Count - cloze.Count })),
            new Built(new EvalTask("perplexity", EvalTaskKind.LoglikelihoodRolling, "perplexity.jsonl", "{text}",
                [EvalMetric.Perplexity, EvalMetric.WordPerplexity, EvalMetric.BitsPerByte]), passages,
                Step("perplexity", allPassages, passages.Count, new() { [overlap] = overlapping, ["not drawn"] = allPassages - overlapping - passages.Count })),
        };
        return Write(folder, "sotu", tasks, source.Inputs, new
        {
            seed = config.Seed, clozeItems = config.ClozeItems, choices = config.Choices,
            passagesPerAddress = config.PassagesPerAddress, passageWords = config.PassageWords,
            sourceManifest = source.Id,
            addresses = sentences.Select(s => s.Address).ToArray(),
            heldOut = "the test part of the SOTU split by content hash (train 0.9, validation 0.05, test 0.05, after the default cleaning recipe), " +
                "as 01-data, 02-tokenizer and 03-pretrain make it: pretraining trains on train and validates on validation, never reads test",
        });
    }

    static ManifestStep Step(string name, long input, long kept, Dictionary<string, long> removedBy) => new(name, input, kept, 0, removedBy);

    /// <summary>FNV-1a, 64 bits: the n-grams of the whole pretraining split fit in memory as numbers, and the same text
    /// always gives the same number (string hash codes change per process).</summary>
    static ulong Fnv(string text)
    {
        ulong hash = 14695981039346656037UL;
        foreach (char c in text)
            hash = (hash ^ c) * 1099511628211UL;
        return hash;
    }

    /// <summary>The choices of one question: <paramref name="count"/> - 1 distinct distractors drawn from
    /// <paramref name="others"/> (a partial Fisher-Yates shuffle), and the gold answer put at a drawn position.</summary>
    static (List<string> Choices, int Answer) WithDistractors(Random random, IEnumerable<string> others, string gold, int count)
    {
        string[] pool = [.. others];
        for (int i = 0; i < count - 1; i++)
        {
            int j = random.Next(i, pool.Length);
            (pool[i], pool[j]) = (pool[j], pool[i]);
        }
        List<string> choices = [.. pool.Take(count - 1)];
        int answer = random.Next(count);
        choices.Insert(answer, gold);
        return (choices, answer);
    }

    static BuiltEvalSuite Write(string folder, string name, IReadOnlyList<Built> tasks, IReadOnlyList<ManifestFile> inputs, object config)
    {
        Directory.CreateDirectory(folder);
        var outputs = new List<ManifestFile>();
        var written = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (task, items, _) in tasks)
        {
            string path = Path.Combine(folder, task.Data);
            var lines = new StringBuilder();
            foreach (object item in items)
                lines.Append(JsonSerializer.Serialize(item, item.GetType(), Jsonl)).Append('\n');
            AtomicFile.WriteAllText(path, lines.ToString());
            outputs.Add(ManifestFile.Of(path, items.Count) with { Path = task.Data });
            written.Add(task.Data);
        }
        // Task files of an earlier build that this one no longer makes would look like part of the suite.
        foreach (string stale in Directory.GetFiles(folder, "*.jsonl").Where(f => !written.Contains(Path.GetFileName(f))))
            File.Delete(stale);
        var suite = new EvalSuite(name, [.. tasks.Select(t => t.Task)]).Validate(name);
        string suitePath = Path.Combine(folder, SuiteFile);
        AtomicFile.WriteAllText(suitePath, suite.ToJson() + "\n");
        outputs.Add(ManifestFile.Of(suitePath) with { Path = SuiteFile });
        var manifest = DataManifest.Create("eval-suite", inputs, config, [.. tasks.Select(t => t.Step)], outputs);
        string manifestPath = Path.Combine(folder, DataManifest.FileName);
        if (Existing(manifestPath) is { } old && old.Id == manifest.Id)
            manifest = old; // the same content: keep the first build's time, so an unchanged rebuild changes no byte
        else
            manifest.Save(manifestPath);
        return new BuiltEvalSuite(suitePath, suite, [.. tasks.Select(t => t.Items.Count)], manifest);
    }

    static DataManifest? Existing(string path)
    {
        try
        {
            return File.Exists(path) ? DataManifest.Load(path) : null;
        }
        catch (InvalidDataException)
        {
            return null; // edited or not a manifest: written anew
        }
    }

    [GeneratedRegex(@"(?<=[.!?])\s+(?=[A-Z""'])")]
    private static partial Regex SentenceBreak();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Space();

    [GeneratedRegex(@"^([A-Za-z]{3,})[.!?]$")]
    private static partial Regex LastWord();
}
