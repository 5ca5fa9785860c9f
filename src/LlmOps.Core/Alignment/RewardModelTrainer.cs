using System.Diagnostics;
using System.Globalization;
using LlmOps.Core.Chat;
using LlmOps.Core.FineTuning;
using LlmOps.Core.Modeling;
using LlmOps.Core.Platform;
using LlmOps.Core.Tokenization;
using LlmOps.Core.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace LlmOps.Core.Alignment;

/// <summary>
/// Trains a <see cref="RewardModel"/> on preference pairs with the Bradley-Terry loss −log σ(r_chosen − r_rejected)
/// (InstructGPT, Ouyang et al. 2022, eq. 1; trl's <c>RewardTrainer</c>), through the <see cref="TrainingLoop"/> every
/// trainer shares; reports held-out pairwise accuracy and the margin distribution.
/// </summary>
public static class RewardModelTrainer
{
    /// <summary>The run store's kind for these runs.</summary>
    public const string RunKind = "reward";

    /// <summary>Reads the pairs, then trains as <paramref name="config"/> says.</summary>
    /// <exception cref="ArgumentException">The config is invalid.</exception>
    /// <exception cref="Data.DataFormatException">A data file has a bad record; the message names file, line and field.</exception>
    /// <exception cref="InvalidOperationException">The data, tokenizer and model do not fit together; the message says how.</exception>
    public static async Task<RewardResult> RunAsync(RewardConfig config, TokenizerRegistry? tokenizers = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        var train = await PreferenceJsonl.ReadAsync(config.TrainData, cancellationToken: cancellationToken).ConfigureAwait(false);
        var validation = await PreferenceJsonl.ReadAsync(config.ValidationData, cancellationToken: cancellationToken).ConfigureAwait(false);
        return Run(config, train.Pairs, validation.Pairs, tokenizers, null, cancellationToken);
    }

    internal static RewardResult Run(RewardConfig config, IReadOnlyList<PreferencePair> trainPairs, IReadOnlyList<PreferencePair> validationPairs,
        TokenizerRegistry? tokenizers, TrainingLoopHooks? hooks, CancellationToken cancellationToken)
    {
        config.Validate();
        var session = Stopwatch.StartNew();
        var (device, target, _, peak) = TrainingHardware.Resolve(config.Device, MixedPrecision.Fp32, config.PeakFlopsPerSecond);
        LlmTokenizer tokenizer;
        CheckpointMetadata metadata;
        int context;
        using (var start = GptCheckpoint.Load(config.BaseModel, CPU))
        {
            string name = start.Metadata.Tokenizer ?? throw new InvalidOperationException($"The checkpoint {config.BaseModel} does not name its tokenizer.");
            (tokenizer, metadata, context) = ((tokenizers ?? new TokenizerRegistry()).Get(name), start.Metadata, start.Model.ContextSize);
        }
        var template = ChatTemplate.For(tokenizer);
        // The reward reads the whole conversation, end of turn included: one position more than a next-token pass.
        var train = DirectPreferenceOptimizer.Encode(trainPairs, tokenizer, template, context - 1, out int skippedTrain);
        var validation = DirectPreferenceOptimizer.Encode(validationPairs, tokenizer, template, context - 1, out int skippedValidation);
        if (train.Count == 0 || validation.Count == 0)
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"No pairs fit the model's context of {context} tokens ({train.Count} training, {validation.Count} validation): shorten them or use a model with a longer context."));
        int steps = config.StepsFor(train.Count);
        double meanLength = train.Sum(p => p.Chosen.Ids.Length + p.Rejected.Ids.Length) / (double)train.Count;

        var loop = new TrainingLoop(new TrainingLoopConfig(
            CheckpointFolder: Path.Combine(config.OutFolder, "checkpoints"), Device: device, BFloat16: false, Seed: config.Seed,
            BatchSize: config.BatchSize, GradientAccumulationSteps: config.GradientAccumulationSteps,
            TokensPerStep: Math.Max(1, (long)Math.Round(meanLength * config.BatchSize * config.GradientAccumulationSteps)),
            MaxSteps: steps, Schedule: new LearningRateSchedule(config.LearningRate, config.LearningRate / 10, Math.Min(config.WarmupSteps, steps), steps),
            WeightDecay: config.WeightDecay, Beta1: 0.9, Beta2: 0.999, GradClip: config.GradClip, EvalEvery: config.EvalEvery,
            CheckpointEvery: config.CheckpointEvery, KeepLast: config.KeepLast, EarlyStoppingPatience: null,
            RunName: config.RunName ?? $"reward {Path.GetFileName(Path.TrimEndingDirectorySeparator(config.BaseModel))}", RunKind: RunKind,
            RunStorePath: config.RunStorePath, RecordedConfig: config, DataManifestId: metadata.DataManifestId, Resume: config.Resume,
            PeakFlopsPerSecond: peak), session);
        using var model = loop.ResumeFrom is { } from ? RewardModel.Load(from, target)
            : new RewardModel(GptCheckpoint.Load(config.BaseModel, target).Model, SeedScope.Derive(config.Seed, "reward-head"));
        model.to(target);
        model.train();
        var task = new RewardTask(model, train, validation, config.BatchSize, config.EvalBatches, loop.Seeds, target,
            (folder, extra) => model.Save(folder, metadata with { Extra = extra }));
        var result = loop.Run(task, hooks, cancellationToken);
        model.eval();
        return new RewardResult(result, train.Count, validation.Count, skippedTrain + skippedValidation, Evaluate(model, validation, target));
    }

    /// <summary>How <paramref name="checkpoint"/> (a reward model) ranks <paramref name="pairs"/>.</summary>
    /// <param name="checkpoint">A folder <see cref="RewardModel.Save"/> wrote.</param>
    /// <param name="pairs">Pairs to rank, typically held out.</param>
    /// <param name="tokenizers">Where tokenizer names resolve; the default registry when null.</param>
    /// <param name="device">Where to run; the CPU when null.</param>
    public static RewardAccuracy Evaluate(string checkpoint, IReadOnlyList<PreferencePair> pairs, TokenizerRegistry? tokenizers = null, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        device ??= CPU;
        using var model = RewardModel.Load(checkpoint, device);
        var tokenizer = (tokenizers ?? new TokenizerRegistry()).Get(model.Metadata?.Tokenizer ?? throw new InvalidOperationException($"The checkpoint {checkpoint} does not name its tokenizer."));
        var encoded = DirectPreferenceOptimizer.Encode(pairs, tokenizer, ChatTemplate.For(tokenizer), model.Transformer.ContextSize - 1, out _);
        return Evaluate(model, encoded, device);
    }

    static RewardAccuracy Evaluate(RewardModel model, List<(SftSequence Chosen, SftSequence Rejected)> pairs, Device device)
    {
        var margins = new List<double>(pairs.Count);
        using var noGrad = no_grad();
        foreach (var chunk in pairs.Chunk(16))
        {
            using var scope = NewDisposeScope();
            var (chosen, rejected) = RewardTask.Rewards(model, RewardBatch.Of(chunk), device);
            margins.AddRange((chosen - rejected).to(CPU).data<float>().ToArray().Select(m => (double)m));
        }
        return RewardAccuracy.Of(margins);
    }
}
