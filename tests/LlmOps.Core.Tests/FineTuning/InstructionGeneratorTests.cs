using System.Text;
using LlmOps.Core.Data;
using LlmOps.Core.FineTuning.Instructions;
using LlmOps.Tests;

namespace LlmOps.Core.Tests.FineTuning;

[Collection(InstructionFactsGroup.Name)]
public class InstructionGeneratorTests(InstructionFactsFixture fixture)
{
    static string Lines(InstructionSet set, InstructionShape shape) =>
        string.Join("\n", set.Entries.Select(e => e.Split + " " + InstructionJsonl.ToJson(e.Example, shape)));

    [Fact]
    public void The_facts_come_from_the_fetched_packages()
    {
        var facts = fixture.Facts;
        Assert.Contains(facts.Countries, c => c is { Name: "France", Capital: "Paris", Continent: "Europe", CallingCode: "+33" } && c.Currency == "Euro" && c.Languages.Contains("French"));
        Assert.Equal(50, facts.States.Count);
        Assert.Contains(new StateFact("Texas", "Austin"), facts.States);
        Assert.Contains(facts.Elements, e => e is { Name: "Iron", Symbol: "Fe", Number: 26 });
        Assert.True(facts.Words.Count > 10_000, $"only {facts.Words.Count} WordNet words");
        Assert.All(facts.Words.Take(100), w => Assert.False(string.IsNullOrWhiteSpace(w.Definition)));
    }

    [Fact]
    public void The_same_seed_gives_the_same_records_and_another_seed_other_ones()
    {
        var config = new InstructionGeneratorConfig(Seed: 5, ExamplesPerTask: 40);
        string first = Lines(InstructionGenerator.Generate(fixture.Facts, config), InstructionShape.Chat);
        string again = Lines(InstructionGenerator.Generate(fixture.Facts, config), InstructionShape.Chat);
        string other = Lines(InstructionGenerator.Generate(fixture.Facts, config with { Seed = 6 }), InstructionShape.Chat);

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void Every_task_is_generated_with_several_phrasings_and_answers_that_follow_from_the_input()
    {
        var set = InstructionGenerator.Generate(fixture.Facts, new InstructionGeneratorConfig(Seed: 1, ExamplesPerTask: 60));

        Assert.Equal(InstructionGenerator.TaskNames.Order(), set.Counts().Select(c => c.Task).Order());
        foreach (var task in set.Entries.GroupBy(e => e.Example.Task))
            Assert.True(task.Select(e => e.Phrasing).Distinct().Count() >= 3, $"{task.Key} uses fewer than 3 phrasings");
        foreach (var e in set.Entries.Select(e => e.Example))
        {
            switch (e.Task)
            {
                case "reverse": Assert.Equal(new string([.. e.Input.Reverse()]), e.Output); break;
                case "spell": Assert.Equal(e.Input, e.Output.Replace(" ", "", StringComparison.Ordinal)); break;
                case "count-letters": Assert.Equal(e.Input.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Output); break;
                case "compare": Assert.Equal(e.Input.Split(" and ").Max(int.Parse).ToString(System.Globalization.CultureInfo.InvariantCulture), e.Output); break;
            }
        }
    }

    [Fact]
    public void Skills_are_tested_on_inputs_never_trained_and_facts_on_phrasings_never_trained()
    {
        var set = InstructionGenerator.Generate(fixture.Facts, new InstructionGeneratorConfig(Seed: 3, ExamplesPerTask: 150));

        foreach (var task in set.Entries.GroupBy(e => e.Example.Task))
        {
            var train = task.Where(e => e.Split == InstructionSplit.Train).ToList();
            var test = task.Where(e => e.Split == InstructionSplit.Test).ToList();
            Assert.NotEmpty(train);
            Assert.NotEmpty(test);
            if (task.First().Kind == InstructionTaskKind.Skill)
            {
                Assert.Empty(test.Select(e => e.Key).Intersect(train.Select(e => e.Key)));
                Assert.Empty(test.Select(e => e.Example.Input).Intersect(train.Select(e => e.Example.Input)));
            }
            else
            {
                // The held-out phrasing is one, never trained; every tested fact was trained in another phrasing.
                var heldOut = Assert.Single(test.Select(e => e.Phrasing).Distinct());
                Assert.DoesNotContain(heldOut, train.Select(e => e.Phrasing));
                Assert.Empty(test.Select(e => e.Example.Instruction).Intersect(train.Select(e => e.Example.Instruction)));
                Assert.All(test, e => Assert.Contains(e.Key, train.Select(t => t.Key)));
            }
        }
    }

    [Theory]
    [InlineData(InstructionShape.Alpaca)]
    [InlineData(InstructionShape.Chat)]
    public async Task Both_shapes_round_trip_through_jsonl_with_a_manifest(InstructionShape shape)
    {
        var set = InstructionGenerator.Generate(InstructionFacts.None, new InstructionGeneratorConfig(Seed: 2, ExamplesPerTask: 30, System: "Answer briefly."));
        string folder = RepoPaths.NewTempFolder("llmops-instruct");

        var manifest = await set.SaveAsync(folder, shape);
        var train = await InstructionJsonl.ReadAsync(Path.Combine(folder, "train.jsonl"));

        Assert.Equal(shape, train.Shape);
        if (shape == InstructionShape.Alpaca)
            Assert.Equal(set.Train, train.Examples);
        else
            Assert.Equal(set.Train.Select(Conversation), train.Examples.Select(Conversation));
        Assert.Equal(set.Train.Count, manifest.Outputs.Single(o => o.Path.EndsWith("train.jsonl", StringComparison.Ordinal)).Records);
        Assert.Equal(manifest.Id, DataManifest.Load(Path.Combine(folder, DataManifest.FileName)).Id);
    }

    static string Conversation(InstructionExample example) =>
        string.Join("|", example.ToMessages().Select(m => m.Role.Value + ":" + m.Text)) + "|" + example.Task;

    [Fact]
    public async Task A_bad_record_is_named_by_file_line_and_field_or_goes_to_the_rejects_file()
    {
        string folder = RepoPaths.NewTempFolder("llmops-instruct-bad");
        string path = Path.Combine(folder, "mine.jsonl");
        await File.WriteAllTextAsync(path, string.Join("\n",
            "{\"instruction\": \"Reverse this word.\", \"input\": \"cat\", \"output\": \"tac\"}",
            "{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}, {\"role\": \"assistant\", \"content\": \"Hello\"}]}",
            "{\"instruction\": \"Reverse this word.\", \"input\": \"dog\"}",
            "{\"messages\": [{\"role\": \"robot\", \"content\": \"Hi\"}]}",
            "not json") + "\n", new UTF8Encoding(false));

        var error = await Assert.ThrowsAsync<DataFormatException>(() => InstructionJsonl.ReadAsync(path));
        Assert.Equal($"{path}, line 3, field 'output': missing", error.Message);

        string rejectsPath = Path.Combine(folder, "rejects.jsonl");
        InstructionReadResult result;
        using (var rejects = new RejectsWriter(rejectsPath))
            result = await InstructionJsonl.ReadAsync(path, BadRecordPolicy.Reject, rejects);
        Assert.Equal(["tac", "Hello"], result.Examples.Select(e => e.Output));
        Assert.Equal(3, result.Rejected);
        var rejected = File.ReadAllLines(rejectsPath);
        Assert.Equal(3, rejected.Length);
        Assert.Contains("\"line\":4", rejected[1], StringComparison.Ordinal);
        Assert.Contains("messages[0].role", rejected[1], StringComparison.Ordinal);
    }
}
