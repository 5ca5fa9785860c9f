using LlmOps.Core.Modeling;
using LlmOps.Core.Training;
using LlmOps.Tests;

namespace LlmOps.Core.Tests.Training;

public class PretrainConfigTests
{
    [Fact]
    public void A_config_round_trips_through_json()
    {
        string folder = RepoPaths.NewTempFolder("llmops-pretrain-config");
        string path = Path.Combine(folder, "train.json");
        var config = new PretrainConfig(PretrainTestData.Model() with { Positions = PositionEncoding.Rotary }, "data/train", "data/val", "out",
            EarlyStoppingPatience: 3, Precision: MixedPrecision.Bf16, RunStorePath: "runs.db");
        config.Save(path);

        // Relative paths come back relative to the config file's folder, so the config works from any current folder.
        Assert.Equal(config with
        {
            TrainData = Path.Combine(folder, "data", "train"),
            ValidationData = Path.Combine(folder, "data", "val"),
            OutFolder = Path.Combine(folder, "out"),
            RunStorePath = Path.Combine(folder, "runs.db"),
        }, PretrainConfig.Load(path));
        string json = File.ReadAllText(path);
        Assert.Contains("\"Precision\": \"Bf16\"", json, StringComparison.Ordinal);
        Assert.Contains("\"Positions\": \"Rotary\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("TokensPerStep", json, StringComparison.Ordinal);
    }

    [Fact]
    public void A_short_config_takes_the_defaults()
    {
        string path = Path.Combine(RepoPaths.NewTempFolder("llmops-pretrain-config"), "short.json");
        File.WriteAllText(path, """
            // comments are allowed
            { "model": { "VocabSize": 257, "BlockSize": 16, "Layers": 2, "Heads": 2, "EmbeddingSize": 32 },
              "TrainData": "t", "ValidationData": "v", "OutFolder": "o", "MaxSteps": 50, }
            """);
        var config = PretrainConfig.Load(path);
        Assert.Equal(50, config.MaxSteps);
        Assert.Equal(12, config.BatchSize);
        Assert.Equal(MixedPrecision.Auto, config.Precision);
        Assert.Null(config.EarlyStoppingPatience);
        Assert.Equal(12L * 16, config.TokensPerStep);
    }

    [Fact]
    public void Errors_name_the_file_and_the_setting()
    {
        string folder = RepoPaths.NewTempFolder("llmops-pretrain-config");
        string typo = Path.Combine(folder, "typo.json");
        File.WriteAllText(typo, """{ "Model": null, "TrainData": "t", "ValidationData": "v", "OutFolder": "o", "LearnignRate": 1 }""");
        var unknown = Assert.Throws<InvalidDataException>(() => PretrainConfig.Load(typo));
        Assert.Contains(typo, unknown.Message, StringComparison.Ordinal);
        Assert.Contains("LearnignRate", unknown.Message, StringComparison.Ordinal);

        string bad = Path.Combine(folder, "bad.json");
        new PretrainConfig(PretrainTestData.Model(), "t", "v", "o", KeepLast: 0, MinLearningRate: 1).Save(bad);
        var invalid = Assert.Throws<InvalidDataException>(() => PretrainConfig.Load(bad));
        Assert.Contains(bad, invalid.Message, StringComparison.Ordinal);
        Assert.Contains("KeepLast must be at least 1", invalid.Message, StringComparison.Ordinal);
        Assert.Contains("MinLearningRate", invalid.Message, StringComparison.Ordinal);

        string missing = Path.Combine(folder, "missing.json");
        Assert.Contains(missing, Assert.Throws<FileNotFoundException>(() => PretrainConfig.Load(missing)).Message, StringComparison.Ordinal);
        string notJson = Path.Combine(folder, "broken.json");
        File.WriteAllText(notJson, "{ \"MaxSteps\": ");
        Assert.StartsWith(notJson, Assert.Throws<InvalidDataException>(() => PretrainConfig.Load(notJson)).Message, StringComparison.Ordinal);
    }
}
