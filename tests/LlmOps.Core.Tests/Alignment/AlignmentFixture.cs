using LlmOps.Core.Alignment;
using LlmOps.Core.Display;
using LlmOps.Core.FineTuning;
using LlmOps.Core.FineTuning.Instructions;
using LlmOps.Core.Modeling;
using LlmOps.Core.Platform;
using LlmOps.Core.Tokenization;
using LlmOps.Core.Training;
using LlmOps.Tests;

namespace LlmOps.Core.Tests.Alignment;

/// <summary>
/// A tiny SFT model made in-test, once per test run: a seeded GPT over a byte-level tokenizer, fine-tuned briefly on
/// the compare skill; and preference pairs on the same skill (off-by numbers, rambling), split by input, to align it with.
/// </summary>
public sealed class AlignmentFixture
{
    public static readonly string[] Tasks = ["compare"];

    public AlignmentFixture()
    {
        TorchRuntime.EnsureInitialized();
        Root = RepoPaths.NewTempFolder("llmops-align");
        Preferences = PreferenceGenerator.Generate(InstructionFacts.None, new PreferenceGeneratorConfig(Seed: 7, ExamplesPerTask: 1500, Tasks: Tasks, HeldOutFraction: 0.1));
        Data = Path.Combine(Root, "prefs");
        Preferences.SaveAsync(Data).GetAwaiter().GetResult();

        var instructions = InstructionGenerator.Generate(InstructionFacts.None,
            new InstructionGeneratorConfig(Seed: 7, ExamplesPerTask: 1500, Tasks: Tasks, TestFraction: 0.05, ValidationFraction: 0.03));
        string sftData = Path.Combine(Root, "sft-data");
        instructions.SaveAsync(sftData).GetAwaiter().GetResult();

        Registry = new TokenizerRegistry(Path.Combine(Root, "tokenizers"));
        var tokenizerModel = new BpeTrainer(new BpeTrainerConfig(VocabSize: 257, Name: "align-bytes")).Train(instructions.Train.Select(e => e.UserText)).Model;
        string tokenizerFolder = Registry.Save(tokenizerModel);
        var tokenizer = Registry.Get("align-bytes");
        string start = Path.Combine(Root, "start");
        using (var model = new Gpt(new GptConfig(tokenizer.VocabSize, BlockSize: 128, Layers: 2, Heads: 4, EmbeddingSize: 64, Positions: PositionEncoding.Rotary), seed: 3))
            GptCheckpoint.Save(start, model, new CheckpointMetadata(tokenizerFolder));

        using var _ = DisplayHook.Use(new ConsoleDisplaySink(TextWriter.Null));
        var sft = SupervisedFineTuner.RunAsync(new SftConfig(start, Path.Combine(sftData, "train.jsonl"), Path.Combine(sftData, "validation.jsonl"), Path.Combine(Root, "sft"),
            BatchSize: 16, MaxSteps: 1000, LearningRate: 3e-3, MinLearningRate: 3e-4, WarmupSteps: 10, EvalEvery: 1000, EvalBatches: 2, CheckpointEvery: 1000,
            KeepLast: 1, Device: "cpu", Seed: 5, Precision: MixedPrecision.Fp32, PeakFlopsPerSecond: 1e11), Registry).GetAwaiter().GetResult();
        SftCheckpoint = sft.Training.LastCheckpoint!;
    }

    public string Root { get; }

    public PreferenceSet Preferences { get; }

    public string Data { get; }

    public TokenizerRegistry Registry { get; }

    public string SftCheckpoint { get; }

    public DpoConfig Config(string outName, int maxSteps, string method = "full", string loss = "sigmoid") => new(
        SftCheckpoint, Path.Combine(Data, PreferenceSet.TrainFile), Path.Combine(Data, PreferenceSet.HeldOutFile), Path.Combine(Root, outName),
        Loss: loss, Method: method, BatchSize: 16, MaxSteps: maxSteps, LearningRate: 1e-3, WarmupSteps: 5, EvalEvery: 50, EvalBatches: 2,
        CheckpointEvery: 50, KeepLast: 1, Device: "cpu", Seed: 9, Precision: MixedPrecision.Fp32, PeakFlopsPerSecond: 1e11);

    /// <summary>Runs quietly.</summary>
    internal DpoResult Run(DpoConfig config, TrainingLoopHooks? hooks = null, CancellationToken cancellationToken = default)
    {
        using var _ = DisplayHook.Use(new ConsoleDisplaySink(TextWriter.Null));
        return DirectPreferenceOptimizer.Run(config, Preferences.Train, Preferences.HeldOut, Registry, hooks, cancellationToken);
    }

    /// <summary>Held-out ranking of a checkpoint against the SFT start.</summary>
    public RewardAccuracy HeldOut(string checkpoint) => DirectPreferenceOptimizer.Evaluate(checkpoint, SftCheckpoint, Preferences.HeldOut, tokenizers: Registry);
}

[CollectionDefinition(Name)]
public sealed class AlignmentGroup : ICollectionFixture<AlignmentFixture>
{
    public const string Name = "Alignment SFT model";
}
