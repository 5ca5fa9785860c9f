using System.Text.Json;
using LlmOps.Core.Data;
using LlmOps.Core.Data.Cleaning;
using LlmOps.Core.Data.Mixing;
using LlmOps.Core.Display;
using LlmOps.Tests;

namespace LlmOps.Core.Tests.Data.Cleaning;

public class DataCleanerTests
{
    /// <summary>A paragraph of ordinary English prose that passes the Gopher rules.</summary>
    static string Prose(int n) =>
        $"Report {n}. The committee met on the morning of the {n}th and agreed that the budget for the coming year should be " +
        "balanced with care, because the people of this country expect their government to spend wisely and to explain " +
        "its choices. Members of both parties spoke at length about schools, roads and the health of the nation, and they " +
        $"promised to return with a plan that would serve every family and every town in the land before the session ends {n * 7}.";

    static string WriteCorpus(string folder)
    {
        var lines = new List<string>();
        for (int i = 0; i < 40; i++)
            lines.Add(JsonSerializer.Serialize(new { id = $"doc{i}", text = Prose(i) + $" Contact clerk{i}@example.org for the minutes." }));
        lines.Add(JsonSerializer.Serialize(new { id = "copy", text = Prose(3) + " Contact clerk3@example.org for the minutes." })); // exact copy of doc3
        lines.Add(JsonSerializer.Serialize(new { id = "short", text = "Buy now!!!" }));                                         // fails quality
        string path = Path.Combine(folder, "input.jsonl");
        File.WriteAllLines(path, lines);
        return path;
    }

    [Fact]
    public async Task A_job_writes_split_files_rejects_a_report_and_a_manifest_whose_id_is_reproducible()
    {
        string folder = RepoPaths.NewTempFolder("llmops-cleaner");
        string input = WriteCorpus(folder);
        using var _ = DisplayHook.Use(new ConsoleDisplaySink(TextWriter.Null));
        var job = new CleaningJob(input, Path.Combine(folder, "out"), Split: new SplitRatios(0.8, 0.1, 0.1));

        var result = await DataCleaner.RunAsync(job);
        var again = await DataCleaner.RunAsync(job with { OutputFolder = Path.Combine(folder, "out2") });

        Assert.Equal(42, result.Report.Input);
        Assert.Equal(40, result.Report.Output);
        var rejects = File.ReadAllLines(result.Files["rejects"]).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(["copy", "short"], rejects.Select(r => r.GetProperty("id").GetString()).Order());
        Assert.Contains(rejects, r => r.GetProperty("step").GetString() == "exact-dedup" && r.GetProperty("reason").GetString()!.Contains("doc3", StringComparison.Ordinal));
        var kept = new[] { "train", "validation", "test" }.SelectMany(p => DocumentReader.ReadJsonl(result.Files[p])).ToList();
        Assert.Equal(40, kept.Count);
        Assert.All(kept, d => Assert.DoesNotContain("@example.org", d.Text, StringComparison.Ordinal)); // PII redacted
        Assert.Contains("<EMAIL>", kept[0].Text, StringComparison.Ordinal);
        Assert.Equal(40, result.Split!.Train.Count + result.Split.Validation.Count + result.Split.Test.Count);

        var manifest = DataManifest.Load(result.Files["manifest"]);
        Assert.Equal(result.Manifest.Id, manifest.Id);
        Assert.Equal(again.Manifest.Id, manifest.Id); // same data and settings, another folder and time
        Assert.Equal(input, manifest.Inputs[0].Path);
        Assert.Equal(["train.jsonl", "validation.jsonl", "test.jsonl", "rejects.jsonl"], manifest.Outputs.Select(o => o.Path));
        Assert.Empty(manifest.ChangedOutputs(job.OutputFolder));
        Assert.Equal(["normalize", "gopher-repetition", "gopher-quality", "exact-dedup", "near-dedup", "line-dedup", "detox", "pii"],
            manifest.Steps.Select(s => s.Name));
        using var report = JsonDocument.Parse(File.ReadAllText(result.Files["report"]));
        Assert.Equal(42, report.RootElement.GetProperty("Input").GetInt64());
    }

    [Fact]
    public async Task A_bad_record_stops_the_job_by_default_and_goes_to_the_rejects_file_when_asked()
    {
        string folder = RepoPaths.NewTempFolder("llmops-cleaner-bad");
        string input = Path.Combine(folder, "bad.jsonl");
        File.WriteAllLines(input, [JsonSerializer.Serialize(new { text = Prose(1) }), "{\"text\": broken", JsonSerializer.Serialize(new { text = Prose(2) })]);
        using var _ = DisplayHook.Use(new ConsoleDisplaySink(TextWriter.Null));

        var error = await Assert.ThrowsAsync<DataFormatException>(() => DataCleaner.RunAsync(new CleaningJob(input, Path.Combine(folder, "a"))));
        Assert.Contains("bad.jsonl", error.Message, StringComparison.Ordinal);
        Assert.Contains("line 2", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(folder, "a", "clean.jsonl")));

        var result = await DataCleaner.RunAsync(new CleaningJob(input, Path.Combine(folder, "b"), Read: new ReadOptions(OnBadRecord: BadRecordPolicy.Reject)));
        Assert.Equal(2, result.Report.Input);
        var rejected = File.ReadLines(result.Files["rejects"]).Select(l => JsonDocument.Parse(l).RootElement)
            .Single(r => r.GetProperty("step").GetString() == "load");
        Assert.Equal(2, rejected.GetProperty("line").GetInt32());
        Assert.Equal("{\"text\": broken", rejected.GetProperty("text").GetString());
    }

    [Fact]
    public void The_default_recipe_round_trips_through_json_and_a_broken_recipe_names_its_file()
    {
        string folder = RepoPaths.NewTempFolder("llmops-recipe");
        string path = Path.Combine(folder, "recipe.json");
        var recipe = CleaningRecipe.Default() with { C4 = new C4LineConfig() };
        File.WriteAllText(path, recipe.ToJson());

        var loaded = CleaningRecipe.Load(path);

        Assert.Equal(recipe.ToJson(), loaded.ToJson());
        Assert.Equal(9, loaded.BuildSteps().Count);
        File.WriteAllText(path, "{\n  \"Normalize\": 12\n}");
        var error = Assert.Throws<InvalidDataException>(() => CleaningRecipe.Load(path));
        Assert.StartsWith($"{path}:2:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_input_lists_the_datasets()
    {
        var error = await Assert.ThrowsAsync<FileNotFoundException>(() => CorpusInput.OpenAsync("no-such-corpus"));
        Assert.Contains("spam-assassin", error.Message, StringComparison.Ordinal);
        Assert.Contains("no-such-corpus", error.Message, StringComparison.Ordinal);
    }
}
