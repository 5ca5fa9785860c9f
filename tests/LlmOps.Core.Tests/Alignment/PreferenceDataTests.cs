using System.Globalization;
using System.Text;
using LlmOps.Core.Alignment;
using LlmOps.Core.Data;
using LlmOps.Core.FineTuning.Instructions;
using LlmOps.Core.Tests.FineTuning;
using LlmOps.Tests;

namespace LlmOps.Core.Tests.Alignment;

[Collection(InstructionFactsGroup.Name)]
public class PreferenceDataTests(InstructionFactsFixture fixture)
{
    static readonly string[] Mixed = ["compare", "arithmetic", "reverse", "country-capital", "element-symbol"];

    [Fact]
    public async Task The_same_seed_gives_the_same_bytes_and_another_seed_other_ones()
    {
        var config = new PreferenceGeneratorConfig(Seed: 5, ExamplesPerTask: 40, Tasks: Mixed);
        async Task<byte[]> Bytes(PreferenceGeneratorConfig c)
        {
            string folder = RepoPaths.NewTempFolder("llmops-prefs");
            await PreferenceGenerator.Generate(fixture.Facts, c).SaveAsync(folder);
            return [.. File.ReadAllBytes(Path.Combine(folder, PreferenceSet.TrainFile)), .. File.ReadAllBytes(Path.Combine(folder, PreferenceSet.HeldOutFile))];
        }

        byte[] first = await Bytes(config);
        Assert.Equal(first, await Bytes(config));
        Assert.NotEqual(first, await Bytes(config with { Seed = 6 }));
    }

    [Fact]
    public void Rejected_answers_are_wrong_facts_off_by_numbers_or_rambling_and_held_out_inputs_never_train()
    {
        var set = PreferenceGenerator.Generate(fixture.Facts, new PreferenceGeneratorConfig(Seed: 3, ExamplesPerTask: 60, Tasks: Mixed));
        var all = set.Train.Concat(set.HeldOut).ToList();
        var capitals = fixture.Facts.Countries.Select(c => c.Capital).ToHashSet();

        Assert.All(all, p => Assert.NotEqual(p.Chosen, p.Rejected));
        Assert.Equal([PreferenceGenerator.OffBy, PreferenceGenerator.Rambling, PreferenceGenerator.WrongAnswer], all.Select(p => p.Kind).Distinct().Order());
        foreach (var pair in all)
        {
            switch (pair.Kind)
            {
                case PreferenceGenerator.OffBy:
                    Assert.Contains(pair.Task, new[] { "compare", "arithmetic" });
                    long off = Math.Abs(long.Parse(pair.Chosen, CultureInfo.InvariantCulture) - long.Parse(pair.Rejected, CultureInfo.InvariantCulture));
                    Assert.InRange(off, 1, 3);
                    break;
                case PreferenceGenerator.WrongAnswer when pair.Task == "country-capital":
                    Assert.Contains(pair.Rejected, capitals); // another country's capital: the same field
                    break;
                case PreferenceGenerator.Rambling:
                    Assert.Contains(pair.Chosen, pair.Rejected, StringComparison.Ordinal);
                    Assert.True(pair.Rejected.Length >= 3 * pair.Chosen.Length, pair.Rejected); // repeated, or buried in filler
                    break;
            }
        }
        // Split by input: no held-out prompt is asked in training, in any pair.
        Assert.InRange(set.HeldOut.Count / (double)all.Count, 0.1, 0.3);
        Assert.Empty(set.HeldOut.Select(p => p.Prompt).Intersect(set.Train.Select(p => p.Prompt)));
    }

    [Theory]
    [InlineData(PreferenceShape.Text)]
    [InlineData(PreferenceShape.Chat)]
    public async Task Both_shapes_round_trip_through_jsonl_with_a_manifest(PreferenceShape shape)
    {
        var set = PreferenceGenerator.Generate(InstructionFacts.None, new PreferenceGeneratorConfig(Seed: 2, ExamplesPerTask: 30, System: "Answer briefly."));
        string folder = RepoPaths.NewTempFolder("llmops-prefs");

        var manifest = await set.SaveAsync(folder, shape);
        var train = await PreferenceJsonl.ReadAsync(Path.Combine(folder, PreferenceSet.TrainFile));

        Assert.Equal(shape, train.Shape);
        Assert.Equal(set.Train, train.Pairs);
        Assert.Equal(set.Train.Count, manifest.Outputs.Single(o => o.Path.EndsWith(PreferenceSet.TrainFile, StringComparison.Ordinal)).Records);
        string rewritten = Path.Combine(folder, "again.jsonl");
        await PreferenceJsonl.WriteAsync(rewritten, train.Pairs, shape);
        Assert.Equal(File.ReadAllBytes(Path.Combine(folder, PreferenceSet.TrainFile)), File.ReadAllBytes(rewritten));
    }

    [Fact]
    public async Task A_bad_record_is_named_by_file_line_and_field_or_goes_to_the_rejects_file_with_its_reason()
    {
        string folder = RepoPaths.NewTempFolder("llmops-prefs-bad");
        string path = Path.Combine(folder, "mine.jsonl");
        await File.WriteAllTextAsync(path, string.Join("\n",
            "{\"prompt\": \"What is 2 + 2?\", \"chosen\": \"4\", \"rejected\": \"5\"}",
            "{\"prompt\": [{\"role\": \"user\", \"content\": \"Hi\"}], \"chosen\": [{\"role\": \"assistant\", \"content\": \"Hello\"}], \"rejected\": [{\"role\": \"assistant\", \"content\": \"Go away\"}]}",
            "{\"prompt\": \"What is 2 + 2?\", \"chosen\": \"4\"}",
            "{\"prompt\": [{\"role\": \"user\", \"content\": \"Hi\"}], \"chosen\": [{\"role\": \"user\", \"content\": \"Hello\"}], \"rejected\": [{\"role\": \"assistant\", \"content\": \"No\"}]}",
            "{\"prompt\": \"Same?\", \"chosen\": \"yes\", \"rejected\": \"yes\"}",
            "not json") + "\n", new UTF8Encoding(false));

        var error = await Assert.ThrowsAsync<DataFormatException>(() => PreferenceJsonl.ReadAsync(path));
        Assert.Equal($"{path}, line 3, field 'rejected': missing", error.Message);

        string rejectsPath = Path.Combine(folder, "rejects.jsonl");
        PreferenceReadResult result;
        using (var rejects = new RejectsWriter(rejectsPath))
            result = await PreferenceJsonl.ReadAsync(path, BadRecordPolicy.Reject, rejects);
        Assert.Equal(["4", "Hello"], result.Pairs.Select(p => p.Chosen));
        Assert.Equal(4, result.Rejected);
        var rejected = File.ReadAllLines(rejectsPath);
        Assert.Equal(4, rejected.Length);
        Assert.Contains("\"line\":4", rejected[1], StringComparison.Ordinal);
        Assert.Contains("expected one assistant message", rejected[1], StringComparison.Ordinal);
        Assert.Contains("is the same as chosen", rejected[2], StringComparison.Ordinal);
    }
}
