using LlmOps.Core.Data;
using LlmOps.Core.Display;
using LlmOps.Core.Modeling;
using LlmOps.Core.Tests.Tokenization.Shards;
using LlmOps.Core.Training;
using LlmOps.Tests;

namespace LlmOps.Core.Tests.Training;

/// <summary>A learnable byte-level corpus sharded into train and validation folders, and a tiny run config over it.</summary>
static class PretrainTestData
{
    /// <summary>Digits counting up from a per-document start ("3456789012..."): each next byte follows from the last,
    /// so a small model learns it in a few dozen steps.</summary>
    static List<Document> Corpus(int count, int offset) =>
        [.. Enumerable.Range(offset, count).Select(i => new Document($"doc{i}",
            string.Concat(Enumerable.Range(0, 40 + (i % 7)).Select(k => (char)('0' + ((i + k) % 10)))), "test"))];

    /// <summary>A temp folder with <c>train/</c> and <c>val/</c> shard folders.</summary>
    public static async Task<(string Root, string Train, string Validation)> ShardsAsync(string name)
    {
        string root = RepoPaths.NewTempFolder(name);
        string train = Path.Combine(root, "train"), validation = Path.Combine(root, "val");
        await ShardTestData.ShardAsync(train, Corpus(120, 0), maxTokens: 1500, documentsPerBatch: 32);
        await ShardTestData.ShardAsync(validation, Corpus(20, 1000), maxTokens: 1500, documentsPerBatch: 32);
        return (root, train, validation);
    }

    public static GptConfig Model(double dropout = 0) =>
        new(VocabSize: 257, BlockSize: 16, Layers: 2, Heads: 2, EmbeddingSize: 32, Dropout: dropout);

    public static PretrainConfig Config((string Root, string Train, string Validation) data, string outName = "out", double dropout = 0) => new(
        Model(dropout), data.Train, data.Validation, Path.Combine(data.Root, outName),
        BatchSize: 8, MaxSteps: 30, LearningRate: 1e-2, MinLearningRate: 1e-3, WarmupSteps: 5,
        EvalEvery: 10, EvalBatches: 4, CheckpointEvery: 10, KeepLast: 2, Device: "cpu", Seed: 7,
        Precision: MixedPrecision.Fp32, PeakFlopsPerSecond: 1e11);

    /// <summary>Runs quietly (the console sink would spam the test log).</summary>
    public static PretrainResult Run(PretrainConfig config, TrainingLoopHooks? hooks = null, CancellationToken cancellationToken = default)
    {
        using var _ = DisplayHook.Use(new ConsoleDisplaySink(TextWriter.Null));
        return Pretrainer.Run(config, hooks, cancellationToken);
    }
}
