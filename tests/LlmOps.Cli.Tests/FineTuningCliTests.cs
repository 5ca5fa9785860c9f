using LlmOps.Core.Data;
using LlmOps.Core.FineTuning.Instructions;
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
    public async Task Finetune_accepts_only_the_declared_methods()
    {
        var (exitCode, _, error) = await Cli.Run("finetune", "sft.json", "--method", "lora");

        Assert.Equal(2, exitCode);
        Assert.Contains("lora", error, StringComparison.Ordinal);
    }
}
