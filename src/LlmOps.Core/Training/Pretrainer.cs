using System.Diagnostics;
using System.Globalization;
using LlmOps.Core.Data;
using LlmOps.Core.Modeling;
using LlmOps.Core.Platform;
using LlmOps.Core.Tokenization.Shards;
using TorchSharp;
using static TorchSharp.torch;

namespace LlmOps.Core.Training;

/// <summary>
/// Pretrains a <see cref="Gpt"/> on token shards: nanoGPT's <c>train.py</c> as the <see cref="TrainingLoop"/> every
/// trainer shares, with pretraining's parts (<see cref="PretrainTask"/>): set-up (device, data, seeds, the model fresh
/// or resumed), then the loop (learning rate from the schedule, micro-batches with gradient accumulation, clipping, the
/// AdamW step, evaluation, checkpoints, early stopping), then the result.
/// </summary>
/// <remarks>
/// <para>Exact resume, cancellation and the NaN stop are the loop's (see <see cref="TrainingLoop"/>): a run stopped at
/// step k and resumed reproduces the uninterrupted run's losses bit for bit on the CPU; a cancelled run writes a
/// checkpoint of its last whole step and returns <see cref="PretrainStatus.Cancelled"/>; a NaN or infinite loss or
/// gradient norm stops the run before the update, with <see cref="PretrainStatus.Diverged"/>.</para>
/// </remarks>
public static class Pretrainer
{
    /// <summary>The run store's kind for these runs.</summary>
    public const string RunKind = "pretrain";

    /// <summary>Trains as <paramref name="config"/> says, showing a live <see cref="PretrainProgress"/> through the
    /// display hook. Synchronous (the work is compute); run it on a worker thread to keep a UI responsive.</summary>
    /// <param name="config">Every setting of the run.</param>
    /// <param name="cancellationToken">Stops the run after the step in progress, leaving a resumable checkpoint.</param>
    /// <exception cref="ArgumentException">The config is invalid (every problem is listed).</exception>
    /// <exception cref="InvalidOperationException">The data does not fit the model, or a checkpoint to resume from was
    /// written by a different run shape; the message says what differs.</exception>
    public static PretrainResult Run(PretrainConfig config, CancellationToken cancellationToken = default) => Run(config, null, cancellationToken);

    internal static PretrainResult Run(PretrainConfig config, TrainingLoopHooks? hooks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        var session = Stopwatch.StartNew();

        // ---- device and data -----------------------------------------------------------------------------------
        // Measured before seeding: the benchmark's random matrices would otherwise move the dropout stream.
        var (device, target, bfloat16, peak) = TrainingHardware.Resolve(config.Device, config.Precision, config.PeakFlopsPerSecond);
        using var train = TokenDataset.Open(config.TrainData);
        using var validation = TokenDataset.Open(config.ValidationData);
        CheckData(config, train, validation);
        var metadata = new CheckpointMetadata(config.Tokenizer ?? train.Index.Tokenizer, DataManifestId(train));

        // ---- seeds and resume point, then the model: fresh, or resumed from the checkpoint ----------------------
        var loop = new TrainingLoop(new TrainingLoopConfig(
            CheckpointFolder: Path.Combine(config.OutFolder, "checkpoints"), Device: device, BFloat16: bfloat16, Seed: config.Seed,
            BatchSize: config.BatchSize, GradientAccumulationSteps: config.GradientAccumulationSteps, TokensPerStep: config.TokensPerStep,
            MaxSteps: config.MaxSteps, Schedule: config.Schedule(), WeightDecay: config.WeightDecay, Beta1: config.Beta1, Beta2: config.Beta2,
            GradClip: config.GradClip, EvalEvery: config.EvalEvery, CheckpointEvery: config.CheckpointEvery, KeepLast: config.KeepLast,
            EarlyStoppingPatience: config.EarlyStoppingPatience, RunName: config.RunName ?? DefaultName(config.Model), RunKind: RunKind,
            RunStorePath: config.RunStorePath, RecordedConfig: config, DataManifestId: metadata.DataManifestId, Resume: config.Resume,
            ResumeFrom: config.ResumeFrom, PeakFlopsPerSecond: peak), session);
        var sampler = new TokenBatchSampler(train, config.BatchSize, config.BlockSize, loop.Seeds);
        using var model = loop.ResumeFrom is null ? new Gpt(config.Model, config.Seed) : LoadModel(loop.ResumeFrom, config, target);
        model.to(target);
        model.train();

        // ---- the loop -------------------------------------------------------------------------------------------
        return loop.Run(new PretrainTask(model, sampler, validation, config.EvalBatches, target, metadata), hooks, cancellationToken);
    }

    static void CheckData(PretrainConfig config, TokenDataset train, TokenDataset validation)
    {
        if (train.Index.VocabSize > config.Model.VocabSize)
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"The training shards in {train.Folder} use a vocabulary of {train.Index.VocabSize} ids ({train.Index.Tokenizer}), but the model has {config.Model.VocabSize}: set Model.VocabSize to at least {train.Index.VocabSize}."));
        if (!string.Equals(train.Index.Tokenizer, validation.Index.Tokenizer, StringComparison.Ordinal) || train.Index.VocabSize != validation.Index.VocabSize)
            throw new InvalidOperationException(
                $"The training shards ({train.Folder}: {train.Index.Tokenizer}) and the validation shards ({validation.Folder}: {validation.Index.Tokenizer}) come from different tokenizers.");
        if (train.Count <= config.BlockSize)
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"The training shards in {train.Folder} hold {train.Count} tokens; a block of {config.BlockSize} needs at least {config.BlockSize + 1}."));
        if (validation.WindowCount(config.BlockSize) < 1)
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"The validation shards in {validation.Folder} hold {validation.Count} tokens: not one window of {config.BlockSize} + 1."));
    }

    /// <summary>The data's provenance for checkpoints and the run store: the manifest the shards were cut from, else
    /// the shard manifest itself.</summary>
    static string? DataManifestId(TokenDataset train)
    {
        if (train.Index.SourceManifestId is { } source)
            return source;
        string manifest = Path.Combine(train.Folder, DataManifest.FileName);
        return File.Exists(manifest) ? DataManifest.Load(manifest).Id : null;
    }

    static Gpt LoadModel(string folder, PretrainConfig config, Device target)
    {
        var loaded = GptCheckpoint.Load(folder, target);
        if (loaded.Config != config.Model)
        {
            loaded.Dispose();
            throw new InvalidOperationException($"{folder} holds a model {loaded.Config}, but the config asks for {config.Model}; resume with the checkpoint's shape.");
        }
        return loaded.Model;
    }

    static string DefaultName(GptConfig model) => string.Create(CultureInfo.InvariantCulture,
        $"gpt {model.Layers}L {model.Heads}H {model.EmbeddingSize}E ctx{model.BlockSize}");
}
