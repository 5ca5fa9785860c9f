using System.Text.Json;
using LlmOps.Core.Data;
using LlmOps.Tests;

namespace LlmOps.Cli.Tests;

public class DataCliTests
{
    static Task<(int ExitCode, string Output, string Error)> Run(params string[] args) => Cli.Run(args);

    static string Corpus()
    {
        string path = Path.Combine(RepoPaths.NewTempFolder("llmops-cli-data"), "letters.jsonl");
        File.WriteAllLines(path, Enumerable.Range(0, 30).Select(i => JsonSerializer.Serialize(new
        {
            id = $"l{i}",
            body = $"Letter {i}. Dear friend, the harvest in the valley was good this year and the river rose only a little, so " +
                   $"the farms along its banks were spared. We have saved enough grain for the winter and some for the market in " +
                   $"town, where prices have been fair. Write to me at friend{i}@example.net when you can, and tell me about the " +
                   $"city, the new bridge and the school that your brother has been building since the spring of year {1900 + i * 3}.",
        })));
        return path;
    }

    [Fact]
    public async Task Data_clean_writes_the_split_rejects_report_and_manifest()
    {
        string input = Corpus();
        string output = Path.Combine(Path.GetDirectoryName(input)!, "out");

        var (exitCode, text, error) = await Run("data", "clean", input, "--out", output, "--text-field", "body", "--split", "0.8,0.1,0.1");

        Assert.True(exitCode == 0, error);
        Assert.Contains("pii", text, StringComparison.Ordinal);
        Assert.Contains("manifest id", text, StringComparison.Ordinal);
        long kept = new[] { "train", "validation", "test" }.Sum(p => DocumentReader.ReadJsonl(Path.Combine(output, $"{p}.jsonl")).LongCount());
        var rejects = File.ReadAllLines(Path.Combine(output, "rejects.jsonl"));
        Assert.Equal(30, kept + rejects.Length); // the letters differ in a few numbers: near duplicates, each rejected with its reason
        Assert.All(rejects, r => Assert.Contains("\"step\":\"near-dedup\"", r, StringComparison.Ordinal));
        Assert.InRange(kept, 1, 29);
        Assert.Matches("^[0-9a-f]{16}$", DataManifest.Load(Path.Combine(output, "manifest.json")).Id);
    }

    [Fact]
    public async Task Data_stats_prints_the_tables_and_writes_json()
    {
        string input = Corpus();
        string json = Path.Combine(Path.GetDirectoryName(input)!, "stats.json");

        var (exitCode, text, error) = await Run("data", "stats", input, "--text-field", "body", "--json", json);

        Assert.True(exitCode == 0, error);
        Assert.Contains("documents", text, StringComparison.Ordinal);
        Assert.Contains("pii:email", text, StringComparison.Ordinal);
        using var stats = JsonDocument.Parse(File.ReadAllText(json));
        Assert.Equal(30, stats.RootElement.GetProperty("documents").GetInt64());
    }

    [Theory]
    [InlineData("missing-dataset-or-file", "neither a file or folder nor a dataset")]
    [InlineData("--split", "three shares")]
    public async Task Bad_input_is_an_error_that_says_what(string problem, string message)
    {
        string input = Corpus();
        string[] args = problem == "--split"
            ? ["data", "clean", input, "--out", Path.Combine(Path.GetDirectoryName(input)!, "x"), "--text-field", "body", "--split", "0.9,0.1"]
            : ["data", "stats", problem];

        var (exitCode, _, error) = await Run(args);

        Assert.Equal(1, exitCode);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_default_recipe_prints_as_json_that_loads_back()
    {
        var (exitCode, text, _) = await Run("data", "recipe");
        Assert.Equal(0, exitCode);
        string path = Path.Combine(RepoPaths.NewTempFolder("llmops-cli-recipe"), "recipe.json");
        File.WriteAllText(path, text);
        Assert.Equal(8, LlmOps.Core.Data.Cleaning.CleaningRecipe.Load(path).BuildSteps().Count);
    }
}

public class RunsCliTests
{
    [Fact]
    public async Task Runs_lists_shows_and_compares_what_the_store_holds()
    {
        string path = Path.Combine(RepoPaths.NewTempFolder("llmops-cli-runs"), "runs.db");
        var store = LlmOps.Core.Tracking.RunStore.Open(path);
        var ids = new List<string>();
        foreach (double lr in new[] { 0.001, 0.01 })
        {
            using var run = store.StartRun($"lr {lr}", "pretrain", new { lr });
            run.Log(10, "val/loss", 2 + lr);
            run.Finish();
            ids.Add(run.Id);
        }

        var (listed, list, _) = await Cli.Run("runs", "list", "--store", path);
        var (shown, show, _) = await Cli.Run("runs", "show", ids[0][..21], "--store", path); // a unique prefix
        var (compared, compare, _) = await Cli.Run("runs", "compare", $"{ids[0]},{ids[1]}", "--store", path);
        var (missing, _, error) = await Cli.Run("runs", "show", "nope", "--store", path);

        Assert.Equal((0, 0, 0, 1), (listed, shown, compared, missing));
        Assert.Contains("lr 0.01", list, StringComparison.Ordinal);
        Assert.Contains("finished", show, StringComparison.Ordinal);
        Assert.Contains("final val/loss", compare, StringComparison.Ordinal);
        Assert.Contains("2.01", compare, StringComparison.Ordinal);
        Assert.Contains("No run 'nope'", error, StringComparison.Ordinal);
    }
}

public class TokenizerCliTests
{
    [Fact]
    public async Task Train_encode_and_shard_a_small_corpus_from_the_command_line()
    {
        string folder = RepoPaths.NewTempFolder("llmops-cli-tok");
        string corpus = Path.Combine(folder, "train.jsonl");
        File.WriteAllLines(corpus, Enumerable.Range(0, 200).Select(i => System.Text.Json.JsonSerializer.Serialize(new
        {
            text = $"The union is strong and the people are free, year {1900 + i}. Congress met, the budget passed, the nation grew.",
        })));
        string root = Path.Combine(folder, "tokenizers");

        var (trained, trainOut, trainError) = await Cli.Run("tokenizer", "train", corpus, "--name", "tiny", "--vocab-size", "300", "--root", root);
        var (encoded, encodeOut, _) = await Cli.Run("tokenizer", "encode", "tiny", "--text", "the union<|endoftext|>", "--root", root);
        var (sharded, shardOut, shardError) = await Cli.Run("tokenizer", "shard", corpus, "--tokenizer", "tiny", "--out", Path.Combine(folder, "shards"), "--root", root);
        var (unknown, _, unknownError) = await Cli.Run("tokenizer", "encode", "nope", "--text", "x", "--root", root);

        Assert.True(trained == 0, trainError);
        Assert.Contains("trained tiny: 300 tokens", trainOut, StringComparison.Ordinal);
        Assert.Equal(0, encoded);
        // Special-token text is plain text by default: "<|endoftext|>" becomes many byte-level pieces, not one id.
        int tokens = int.Parse(System.Text.RegularExpressions.Regex.Match(encodeOut, @"tiny: (\d+) tokens").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(tokens, 10, 40);
        Assert.True(sharded == 0, shardError);
        Assert.Contains("200 documents", shardOut, StringComparison.Ordinal);
        var index = LlmOps.Core.Tokenization.Shards.ShardIndex.Load(Path.Combine(folder, "shards", "index.json"));
        Assert.Equal(("uint16", "tiny"), (index.DType, index.Tokenizer));
        Assert.Equal(1, unknown);
        Assert.Contains("o200k_base", unknownError, StringComparison.Ordinal); // lists what exists
    }
}

public class GenerateCliTests
{
    [Fact]
    public async Task Generate_continues_the_prompt_with_the_checkpoints_tokenizer_and_names_a_missing_checkpoint()
    {
        string folder = RepoPaths.NewTempFolder("llmops-cli-gen");
        string root = Path.Combine(folder, "tokenizers");
        LlmOps.Core.Platform.TorchRuntime.EnsureInitialized();
        using (LlmOps.Core.Display.DisplayHook.Use(new LlmOps.Core.Display.ConsoleDisplaySink(TextWriter.Null)))
        {
            var trained = new LlmOps.Core.Tokenization.BpeTrainer(new LlmOps.Core.Tokenization.BpeTrainerConfig(VocabSize: 300, Name: "tiny"))
                .Train(Enumerable.Repeat("the union is strong and the people are free. ", 50));
            new LlmOps.Core.Tokenization.TokenizerRegistry(root).Save(trained.Model, "tiny");
        }
        var config = new LlmOps.Core.Modeling.GptConfig(300, BlockSize: 16, Layers: 1, Heads: 2, EmbeddingSize: 16, Dropout: 0, Bias: false);
        using (var model = new LlmOps.Core.Modeling.Gpt(config, seed: 1))
            LlmOps.Core.Modeling.GptCheckpoint.Save(Path.Combine(folder, "ckpt"), model, new LlmOps.Core.Modeling.CheckpointMetadata("tiny"));

        var (exitCode, output, error) = await Cli.Run("generate", "--checkpoint", Path.Combine(folder, "ckpt"), "--prompt", "the union", "--max-tokens", "12", "--seed", "3", "--root", root);
        var (again, sameOutput, _) = await Cli.Run("generate", "--checkpoint", Path.Combine(folder, "ckpt"), "--prompt", "the union", "--max-tokens", "12", "--seed", "3", "--root", root);
        var (missing, _, missingError) = await Cli.Run("generate", "--checkpoint", Path.Combine(folder, "nope"));

        Assert.True(exitCode == 0, error);
        Assert.StartsWith("the union", output, StringComparison.Ordinal);
        Assert.True(output.TrimEnd().Length > "the union".Length, output);
        Assert.Equal((0, output), (again, sameOutput)); // seeded
        Assert.Equal(1, missing);
        Assert.Contains("nope", missingError, StringComparison.Ordinal);
    }
}
