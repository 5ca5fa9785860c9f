using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LlmOps.Core.Data;
using LlmOps.Core.Data.Cleaning;
using LlmOps.Core.Evaluation;
using LlmOps.Core.FineTuning.Instructions;
using LlmOps.Core.Tests.FineTuning;
using LlmOps.Tests;

namespace LlmOps.Core.Tests.Evaluation;

/// <summary>One fresh build of the shipped suites from the real data (fetched into the default cache as a user's
/// would be), and the SOTU split the course makes, for the tests to compare against.</summary>
public sealed class ShippedSuitesFixture : IDisposable
{
    public ShippedSuitesFixture()
    {
        Folder = RepoPaths.NewTempFolder("suites");
        Built = EvalSuiteBuilder.BuildAsync(Folder).GetAwaiter().GetResult();
        string sotu = RepoPaths.NewTempFolder("sotu-split");
        Split = DataCleaner.RunAsync(new CleaningJob("sotu", sotu, Split: EvalSuiteBuilder.SotuSplit)).GetAwaiter().GetResult().Split!;
        Directory.Delete(sotu, recursive: true);
    }

    public string Folder { get; }

    public IReadOnlyList<BuiltEvalSuite> Built { get; }

    public LlmOps.Core.Data.Mixing.DataSplit Split { get; }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}

[Collection(InstructionFactsGroup.Name)]
public partial class ShippedSuitesTests(ShippedSuitesFixture build, InstructionFactsFixture facts) : IClassFixture<ShippedSuitesFixture>
{
    static readonly string Shipped = RepoPaths.Path("evals");

    static string[] Files(string root) =>
        [.. Directory.GetFiles(root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f).Replace('\\', '/')).Order(StringComparer.Ordinal)];

    /// <summary>A manifest without the time it was written: what its id covers.</summary>
    static string Timeless(string path)
    {
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        json.Remove("created");
        return json.ToJsonString();
    }

    [Fact]
    public void The_committed_suites_equal_a_fresh_build_byte_for_byte()
    {
        Assert.Equal(Files(build.Folder), Files(Shipped));
        foreach (string file in Files(Shipped))
        {
            string fresh = Path.Combine(build.Folder, file), committed = Path.Combine(Shipped, file);
            if (Path.GetFileName(file) == DataManifest.FileName)
                Assert.Equal(Timeless(fresh), Timeless(committed)); // the first build's time stays in the committed one
            else
                Assert.True(File.ReadAllBytes(fresh).AsSpan().SequenceEqual(File.ReadAllBytes(committed)),
                    $"evals/{file} differs from a fresh build: run `llmops eval build-suites --out evals` and commit the result.");
        }
    }

    [Fact]
    public async Task Rebuilding_unchanged_data_changes_no_byte_and_keeps_each_manifest()
    {
        var before = Files(build.Folder).ToDictionary(f => f, f => File.ReadAllBytes(Path.Combine(build.Folder, f)));
        var again = await EvalSuiteBuilder.BuildAsync(build.Folder);
        Assert.Equal(before.Keys, Files(build.Folder));
        foreach (var (file, bytes) in before)
            Assert.True(bytes.AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(build.Folder, file))), $"{file} changed on an unchanged rebuild");
        Assert.Equal(build.Built.Select(b => b.Manifest.Id), again.Select(b => b.Manifest.Id));
        Assert.Equal(build.Built.Select(b => b.Manifest.Created), again.Select(b => b.Manifest.Created));
        foreach (var suite in again)
            Assert.Empty(suite.Manifest.ChangedOutputs(Path.GetDirectoryName(suite.Path)));
    }

    [Fact]
    public void Every_shipped_suite_loads_and_its_counts_agree_with_its_manifest()
    {
        foreach (string name in EvalSuiteBuilder.SuiteNames)
        {
            string folder = Path.Combine(Shipped, name);
            var suite = EvalSuite.Load(Path.Combine(folder, EvalSuiteBuilder.SuiteFile));
            var manifest = DataManifest.Load(Path.Combine(folder, DataManifest.FileName));
            Assert.Equal(name, suite.Name);
            Assert.Empty(manifest.ChangedOutputs(folder));
            foreach (var task in suite.Tasks)
            {
                var records = EvalData.ReadRecords(task.Data);
                Assert.Equal(manifest.Outputs.Single(o => o.Path == Path.GetFileName(task.Data)).Records, records.Count);
                Assert.Equal(manifest.Steps.Single(s => s.Name == task.Name).Kept, records.Count);
                if (task.Kind != EvalTaskKind.MultipleChoice)
                    continue;
                foreach (var item in records.Select(EvalData.ToMultipleChoice))
                {
                    Assert.Equal(4, item.Choices.Count);
                    Assert.InRange(item.Answer, 0, 3);
                    Assert.Equal(item.Choices.Count, item.Choices.Distinct(StringComparer.OrdinalIgnoreCase).Count());
                }
            }
        }
    }

    [Fact]
    public void The_fact_questions_answer_with_the_dataset_s_value_and_draw_distractors_from_the_same_field()
    {
        var countries = facts.Facts.Countries.DistinctBy(c => c.Name).ToDictionary(c => c.Name);
        var fields = new Dictionary<string, Func<string, string>>
        {
            ["country-capital"] = s => countries[s].Capital,
            ["country-currency"] = s => countries[s].Currency,
            ["country-continent"] = s => countries[s].Continent,
            ["element-symbol"] = s => facts.Facts.Elements.First(e => e.Name == s).Symbol,
            ["state-capital"] = s => facts.Facts.States.Single(e => e.Name == s).Capital,
        };
        var valuesOf = new Dictionary<string, HashSet<string>>
        {
            ["country-capital"] = [.. countries.Values.Select(c => c.Capital)],
            ["country-currency"] = [.. countries.Values.Select(c => c.Currency)],
            ["country-continent"] = [.. countries.Values.Select(c => c.Continent)],
            ["element-symbol"] = [.. facts.Facts.Elements.Select(e => e.Symbol)],
            ["state-capital"] = [.. facts.Facts.States.Select(s => s.Capital)],
        };
        var suite = EvalSuite.Load(Path.Combine(Shipped, "facts", EvalSuiteBuilder.SuiteFile));
        Assert.Equal(fields.Keys.Order(), suite.Tasks.Select(t => t.Name).Order());
        foreach (var task in suite.Tasks)
        {
            var items = EvalData.ReadMultipleChoice(task.Data);
            Assert.Equal(50, items.Count);
            Assert.Equal(items.Count, items.Select(i => i.Record.Fields["subject"]).Distinct().Count());
            foreach (var item in items)
            {
                Assert.Equal(fields[task.Name](item.Record.Fields["subject"]), item.Choices[item.Answer]);
                Assert.All(item.Choices, c => Assert.Contains(c, valuesOf[task.Name]));
            }
            // The gold's position is drawn, not always first: every position holds it somewhere.
            Assert.Equal(4, items.Select(i => i.Answer).Distinct().Count());
        }
    }

    [Fact]
    public void The_instruction_tasks_are_the_generator_s_test_split_and_none_is_in_04_sft_s_training()
    {
        var set = InstructionGenerator.Generate(facts.Facts, new InstructionGeneratorConfig(11, 600, TestFraction: 0.05, ValidationFraction: 0.03));
        var suite = EvalSuite.Load(Path.Combine(Shipped, "instructions", EvalSuiteBuilder.SuiteFile));
        foreach (var task in suite.Tasks)
        {
            var expected = set.Entries.Where(e => e.Example.Task == task.Name && e.Split == InstructionSplit.Test).Select(e => (e.Example.UserText, e.Example.Output));
            Assert.Equal(expected, EvalData.ReadRecords(task.Data).Select(r => (r.Fields["prompt"], r.Fields["answer"])));
        }
        // 04-sft (and 05-peft) fine-tune on `compare` with this seed and these shares, 3,000 inputs by default.
        var sft = InstructionGenerator.Generate(InstructionFacts.None, new InstructionGeneratorConfig(11, 3000, ["compare"], 0.05, 0.03));
        var trained = sft.Entries.Where(e => e.Split != InstructionSplit.Test).Select(e => e.Example.Input).ToHashSet(StringComparer.Ordinal);
        var compare = EvalData.ReadRecords(Path.Combine(Shipped, "instructions", "compare.jsonl"));
        Assert.True(compare.Count >= 10);
        Assert.DoesNotContain(compare, r => trained.Contains(r.Fields["input"]));
    }

    [Fact]
    public void The_sotu_items_come_from_the_test_split_that_pretraining_never_reads()
    {
        static string Words(string text) => Space().Replace(text, " ").Trim();
        var test = build.Split.Test.Select(d => Words(d.Text)).ToList();
        var notTest = build.Split.Train.Concat(build.Split.Validation).Select(d => Words(d.Text)).ToList();
        var folder = Path.Combine(Shipped, "sotu");
        var passages = EvalData.ReadRecords(Path.Combine(folder, "perplexity.jsonl"));
        var cloze = EvalData.ReadMultipleChoice(Path.Combine(folder, "cloze.jsonl"));
        Assert.Equal(48, passages.Count);
        Assert.Equal(100, cloze.Count);
        foreach (string text in passages.Select(p => p.Fields["text"]).Concat(cloze.Select(c => c.Record.Fields["question"] + " " + c.Choices[c.Answer])))
        {
            Assert.Contains(test, t => t.Contains(text, StringComparison.Ordinal));
            Assert.DoesNotContain(notTest, t => t.Contains(text, StringComparison.Ordinal));
        }
        Assert.All(passages, p => Assert.True(p.Fields["text"].Split(' ').Length >= 100));

        // The library's contamination check against the pretraining text agrees: nothing shares a 13-gram with it.
        string pretraining = Path.Combine(build.Folder, "pretraining.txt");
        File.WriteAllLines(pretraining, build.Split.Train.Concat(build.Split.Validation).Select(d => d.Text.ReplaceLineEndings(" ")));
        var report = ContaminationCheck.Check(EvalSuite.Load(Path.Combine(folder, EvalSuiteBuilder.SuiteFile)), [pretraining]);
        File.Delete(pretraining);
        Assert.Empty(report.Items);
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Space();
}
