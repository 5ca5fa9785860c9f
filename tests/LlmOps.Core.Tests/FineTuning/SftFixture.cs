using LlmOps.Core.Chat;
using LlmOps.Core.Data;
using LlmOps.Core.Display;
using LlmOps.Core.FineTuning;
using LlmOps.Core.FineTuning.Instructions;
using LlmOps.Core.Modeling;
using LlmOps.Core.Platform;
using LlmOps.Core.Tokenization;
using LlmOps.Core.Tokenization.Shards;
using LlmOps.Core.Training;
using LlmOps.Tests;

namespace LlmOps.Core.Tests.FineTuning;

/// <summary>
/// A tiny base model pretrained in-test, once per test run, on the skill inputs as plain text (words and numbers, no
/// instructions, no answers), with a byte-level tokenizer that has no chat tokens; and a skill set to fine-tune it on.
/// </summary>
public sealed class SftFixture
{
    public static readonly string[] Tasks = ["compare"];

    public SftFixture()
    {
        TorchRuntime.EnsureInitialized();
        Root = RepoPaths.NewTempFolder("llmops-sft");
        Set = InstructionGenerator.Generate(InstructionFacts.None,
            new InstructionGeneratorConfig(Seed: 11, ExamplesPerTask: 3000, Tasks: Tasks, TestFraction: 0.05, ValidationFraction: 0.03));
        Data = Path.Combine(Root, "data");
        Set.SaveAsync(Data, InstructionShape.Chat).GetAwaiter().GetResult();

        // Bytes only (no merges), so spelling a word is a matter of copying its tokens.
        Registry = new TokenizerRegistry(Path.Combine(Root, "tokenizers"));
        var tokenizerModel = new BpeTrainer(new BpeTrainerConfig(VocabSize: 257, Name: "sft-bytes")).Train(Set.Train.Select(e => e.UserText)).Model;
        TokenizerFolder = Registry.Save(tokenizerModel);
        Tokenizer = Registry.Get("sft-bytes");

        using var _ = DisplayHook.Use(new ConsoleDisplaySink(TextWriter.Null));
        var documents = Set.Train.Select((e, i) => new Document($"d{i}", e.Input, "skills")).ToList();
        string train = Path.Combine(Root, "shards", "train"), validation = Path.Combine(Root, "shards", "val");
        TokenSharder.ShardAsync(documents, Tokenizer.ToShardEncoder(), new ShardingOptions(train, MaxTokensPerShard: 100_000)).GetAwaiter().GetResult();
        TokenSharder.ShardAsync(documents.Take(100), Tokenizer.ToShardEncoder(), new ShardingOptions(validation, MaxTokensPerShard: 100_000)).GetAwaiter().GetResult();
        var pretrain = Pretrainer.Run(new PretrainConfig(
            new GptConfig(Tokenizer.VocabSize, BlockSize: 128, Layers: 2, Heads: 4, EmbeddingSize: 64, Positions: PositionEncoding.Rotary), train, validation, Path.Combine(Root, "base"),
            BatchSize: 16, MaxSteps: 60, LearningRate: 3e-3, MinLearningRate: 3e-4, WarmupSteps: 5, EvalEvery: 30, EvalBatches: 2,
            CheckpointEvery: 60, KeepLast: 1, Device: "cpu", Seed: 3, Precision: MixedPrecision.Fp32, PeakFlopsPerSecond: 1e11, Tokenizer: TokenizerFolder));
        BaseCheckpoint = pretrain.LastCheckpoint!;
    }

    public string Root { get; }

    public InstructionSet Set { get; }

    public string Data { get; }

    public TokenizerRegistry Registry { get; }

    public string TokenizerFolder { get; }

    public LlmTokenizer Tokenizer { get; }

    public string BaseCheckpoint { get; }

    public SftConfig Config(string outName, int maxSteps) => new(
        BaseCheckpoint, Path.Combine(Data, "train.jsonl"), Path.Combine(Data, "validation.jsonl"), Path.Combine(Root, outName),
        BatchSize: 16, MaxSteps: maxSteps, LearningRate: 2e-3, MinLearningRate: 2e-4, WarmupSteps: 10, EvalEvery: 50, CheckpointEvery: 50,
        KeepLast: 1, Device: "cpu", Seed: 5, Precision: MixedPrecision.Fp32, PeakFlopsPerSecond: 1e11);

    /// <summary>Runs quietly.</summary>
    internal SftResult Run(SftConfig config, TrainingLoopHooks? hooks = null, CancellationToken cancellationToken = default)
    {
        using var _ = DisplayHook.Use(new ConsoleDisplaySink(TextWriter.Null));
        var train = InstructionJsonl.ReadAsync(config.TrainData, cancellationToken: cancellationToken).GetAwaiter().GetResult().Examples;
        var validation = InstructionJsonl.ReadAsync(config.ValidationData, cancellationToken: cancellationToken).GetAwaiter().GetResult().Examples;
        return SupervisedFineTuner.Run(config, train, validation, Registry, hooks, cancellationToken);
    }

    /// <summary>Runs <paramref name="whole"/> uninterrupted, then <paramref name="resumed"/> (same settings, another out
    /// folder) cancelled after step <paramref name="stopAt"/> and run again, and checks the resumed run's losses equal
    /// the uninterrupted run's bit for bit.</summary>
    internal void AssertResumesExactly(SftConfig whole, SftConfig resumed, int stopAt)
    {
        var uninterrupted = Run(whole);
        using var cancel = new CancellationTokenSource();
        var first = Run(resumed, new TrainingLoopHooks(AfterStep: step =>
        {
            if (step == stopAt)
                cancel.Cancel();
        }), cancel.Token);
        var second = Run(resumed);

        Assert.Equal(PretrainStatus.Cancelled, first.Training.Status);
        Assert.Equal(stopAt, second.Training.ResumedFromStep);
        Assert.Equal(uninterrupted.Training.Train.Select(s => s.Loss), second.Training.Train.Select(s => s.Loss));
        Assert.Equal(uninterrupted.Training.Validation.Select(v => v.Loss), second.Training.Validation.Select(v => v.Loss));
    }

    /// <summary>Greedy exact match of a client on the held-out test examples.</summary>
    public ExactMatchReport ExactMatch(LocalChatClient client) =>
        InstructionEvaluation.ExactMatchAsync(client, Set.Test, maxOutputTokens: 24).GetAwaiter().GetResult();
}

[CollectionDefinition(Name)]
public sealed class SftGroup : ICollectionFixture<SftFixture>
{
    public const string Name = "SFT base model";
}
