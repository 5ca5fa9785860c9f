using LlmOps.Core.Data;
using LlmOps.Core.FineTuning;
using LlmOps.Core.FineTuning.Instructions;
using LlmOps.Core.Modeling;
using LlmOps.Core.Peft;
using LlmOps.Core.Tokenization;
using LlmOps.Tests;

namespace LlmOps.Cli.Tests;

public class FineTuningCliTests
{
    [Fact]
    public async Task Instruct_generate_writes_the_three_splits_in_the_asked_shape_with_a_manifest()
    {
        string folder = RepoPaths.NewTempFolder("llmops-cli-instruct");
        var (exitCode, output, error) = await Cli.Run("instruct", "generate", folder, "--skills-only", "--examples-per-task", "20", "--shape", "alpaca", "--seed", "4");

        Assert.True(exitCode == 0, output + error);
        Assert.Contains("reverse", output, StringComparison.Ordinal);
        var train = await InstructionJsonl.ReadAsync(Path.Combine(folder, "train.jsonl"));
        Assert.Equal(InstructionShape.Alpaca, train.Shape);
        var expected = InstructionGenerator.Generate(InstructionFacts.None,
            new InstructionGeneratorConfig(Seed: 4, ExamplesPerTask: 20, Tasks: InstructionGenerator.SkillNames));
        Assert.Equal(expected.Train, train.Examples);
        var manifest = DataManifest.Load(Path.Combine(folder, DataManifest.FileName));
        Assert.Equal(3, manifest.Outputs.Count);
    }

    [Fact]
    public async Task Finetune_accepts_only_the_declared_methods_and_names_them()
    {
        var (exitCode, _, error) = await Cli.Run("finetune", "sft.json", "--method", "qlora");

        Assert.Equal(2, exitCode);
        Assert.Contains("qlora", error, StringComparison.Ordinal);
        foreach (string method in SftConfig.Methods)
            Assert.Contains(method, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Finetune_with_method_lora_trains_an_adapter_end_to_end_and_checkpoints_only_its_tensors()
    {
        string folder = RepoPaths.NewTempFolder("llmops-cli-peft");
        var set = InstructionGenerator.Generate(InstructionFacts.None, new InstructionGeneratorConfig(Seed: 2, ExamplesPerTask: 60, Tasks: ["compare"]));
        await set.SaveAsync(Path.Combine(folder, "data"), InstructionShape.Chat);
        var registry = new TokenizerRegistry(Path.Combine(folder, "tokenizers"));
        string tokenizer = registry.Save(new BpeTrainer(new BpeTrainerConfig(VocabSize: 257, Name: "cli-bytes")).Train(set.Train.Select(e => e.UserText)).Model);
        using (var model = new Gpt(new GptConfig(257, BlockSize: 96, Layers: 1, Heads: 2, EmbeddingSize: 32), seed: 1))
            GptCheckpoint.Save(Path.Combine(folder, "base"), model, new CheckpointMetadata(tokenizer));
        // The config says full; --method lora overrides it.
        File.WriteAllText(Path.Combine(folder, "sft.json"), """
            { "BaseModel": "base", "TrainData": "data/train.jsonl", "ValidationData": "data/validation.jsonl", "OutFolder": "out",
              "Method": "full", "BatchSize": 4, "MaxSteps": 3, "EvalEvery": 3, "EvalBatches": 1, "CheckpointEvery": 3, "Device": "cpu",
              "Precision": "Fp32", "PeakFlopsPerSecond": 1e11, "Peft": { "Rank": 4, "Alpha": 8 } }
            """);

        var (exitCode, output, error) = await Cli.Run("finetune", Path.Combine(folder, "sft.json"), "--method", "lora");

        Assert.True(exitCode == 0, output + error);
        Assert.Contains("lora", output, StringComparison.Ordinal);
        string checkpoint = Path.Combine(folder, "out", "checkpoints", "step-000003");
        Assert.True(File.Exists(Path.Combine(checkpoint, PeftCheckpoint.WeightsFile)), output);
        Assert.False(File.Exists(Path.Combine(checkpoint, GptCheckpoint.WeightsFile)));
        Assert.Equal("lora", PeftCheckpoint.ReadInfo(checkpoint).Method);
        Assert.Equal(4, PeftCheckpoint.ReadInfo(checkpoint).Settings.Rank);
        Assert.True(File.Exists(Path.Combine(folder, "out", SupervisedFineTuner.AdapterFolderName, LoraAdapterFolder.ConfigFile)));
    }
}
