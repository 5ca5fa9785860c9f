using LlmOps.Core.Alignment;
using LlmOps.Core.Data;
using LlmOps.Core.FineTuning.Instructions;
using LlmOps.Tests;

namespace LlmOps.Cli.Tests;

public class AlignmentCliTests
{
    [Fact]
    public async Task Prefer_generate_writes_train_and_held_out_pairs_in_the_asked_shape_with_a_manifest()
    {
        string folder = RepoPaths.NewTempFolder("llmops-cli-prefer");
        var (exitCode, output, error) = await Cli.Run("prefer", "generate", folder, "--skills-only", "--examples-per-task", "20", "--shape", "text", "--seed", "4");

        Assert.True(exitCode == 0, output + error);
        var train = await PreferenceJsonl.ReadAsync(Path.Combine(folder, PreferenceSet.TrainFile));
        Assert.Equal(PreferenceShape.Text, train.Shape);
        var expected = PreferenceGenerator.Generate(InstructionFacts.None,
            new PreferenceGeneratorConfig(Seed: 4, ExamplesPerTask: 20, Tasks: InstructionGenerator.SkillNames));
        Assert.Equal(expected.Train, train.Pairs);
        Assert.Equal(2, DataManifest.Load(Path.Combine(folder, DataManifest.FileName)).Outputs.Count);
    }

    [Fact]
    public async Task Align_accepts_only_the_declared_methods_and_a_missing_config_is_named()
    {
        var (badMethod, _, methodError) = await Cli.Run("align", "--method", "ppo", "--config", "dpo.json");
        string missing = Path.Combine(RepoPaths.NewTempFolder("llmops-cli-align"), "dpo.json");
        var (badConfig, _, configError) = await Cli.Run("align", "--method", "dpo", "--config", missing);

        Assert.Equal(2, badMethod);
        Assert.Contains("ppo", methodError, StringComparison.Ordinal);
        Assert.Equal(1, badConfig);
        Assert.Contains(missing, configError, StringComparison.Ordinal);
    }
}
