using System.Diagnostics;
using System.Globalization;
using LlmOps.Core.Chat;
using LlmOps.Core.FineTuning;
using LlmOps.Core.Modeling;
using LlmOps.Core.Peft;
using LlmOps.Core.Platform;
using LlmOps.Core.Tokenization;
using LlmOps.Core.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace LlmOps.Core.Alignment;

/// <summary>
/// Direct preference optimization (Rafailov et al. 2023) and IPO (Azar et al. 2023) of an SFT checkpoint on preference
/// pairs, through the <see cref="TrainingLoop"/> every trainer shares (checkpoints with exact resume, tracking, NaN
/// stop, the live curve): trl's <c>DPOTrainer</c> with its defaults (β 0.1, sigmoid loss).
/// </summary>
/// <remarks>
/// <para>The policy starts as the SFT checkpoint and the reference stays it: a frozen copy for full weights, or, with
/// LoRA, the policy itself with its adapters disabled (trl's choice with peft: no second model in memory). Another PEFT
/// method gets a frozen copy. Only response tokens are scored: each answer is encoded through the checkpoint's chat
/// template exactly as SFT encodes it, and the prompt's positions are not targets.</para>
/// <para>The loop records per step the loss and, as <c>train/rewards/*</c> and <c>val/rewards/*</c>, the mean chosen
/// and rejected implicit rewards β·(log π − log π_ref), their margin, and the share of pairs ranked right.</para>
/// <para>trl turns dropout off in both models; these models train with whatever dropout the checkpoint's config has
/// (0 for the project's small presets), so a checkpoint with dropout makes the policy noisier than its reference.</para>
/// </remarks>
public static class DirectPreferenceOptimizer
{
    /// <summary>The run store's kind for these runs.</summary>
    public const string RunKind = "dpo";

    /// <summary>Reads the pairs, then trains as <paramref name="config"/> says, showing a live
    /// <see cref="PretrainProgress"/> through the display hook.</summary>
    /// <param name="config">Every setting of the run.</param>
    /// <param name="tokenizers">Where tokenizer names resolve; the default registry when null.</param>
    /// <param name="cancellationToken">Stops the run after the step in progress, leaving a resumable checkpoint.</param>
    /// <exception cref="ArgumentException">The config is invalid.</exception>
    /// <exception cref="Data.DataFormatException">A data file has a bad record; the message names file, line and field.</exception>
    /// <exception cref="InvalidOperationException">The data, tokenizer and model do not fit together; the message says how.</exception>
    public static async Task<DpoResult> RunAsync(DpoConfig config, TokenizerRegistry? tokenizers = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        var train = await PreferenceJsonl.ReadAsync(config.TrainData, cancellationToken: cancellationToken).ConfigureAwait(false);
        var validation = await PreferenceJsonl.ReadAsync(config.ValidationData, cancellationToken: cancellationToken).ConfigureAwait(false);
        return Run(config, train.Pairs, validation.Pairs, tokenizers, null, cancellationToken);
    }

    internal static DpoResult Run(DpoConfig config, IReadOnlyList<PreferencePair> trainPairs, IReadOnlyList<PreferencePair> validationPairs,
        TokenizerRegistry? tokenizers, TrainingLoopHooks? hooks, CancellationToken cancellationToken)
    {
        config.Validate();
        var session = Stopwatch.StartNew();
        var (device, target, bfloat16, peak) = TrainingHardware.Resolve(config.Device, config.Precision, config.PeakFlopsPerSecond);
        var method = config.PeftMethod;
        string? note = null;
        if (method is not null && bfloat16)
        {
            bfloat16 = false;
            note = "bf16 not used: the bf16 twin cannot hold a PEFT method's modules, so the run trained in fp32";
        }
        var (tokenizer, metadata) = Start(config.PolicyModel, tokenizers);
        var template = ChatTemplate.For(tokenizer);

        int context = ContextOf(config.PolicyModel) - PeftFactory.VirtualPositions(method, config.PeftOrDefault);
        var train = Encode(trainPairs, tokenizer, template, context, out int skippedTrain);
        var validation = Encode(validationPairs, tokenizer, template, context, out int skippedValidation);
        if (train.Count == 0 || validation.Count == 0)
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"No pairs fit the model's context of {context} tokens ({train.Count} training, {validation.Count} validation of {trainPairs.Count} and {validationPairs.Count}): shorten them or use a model with a longer context."));
        int steps = config.StepsFor(train.Count);
        double meanLength = train.Sum(p => p.Chosen.Ids.Length + p.Rejected.Ids.Length - 2L) / (double)train.Count; // tokens per pair

        var loop = new TrainingLoop(new TrainingLoopConfig(
            CheckpointFolder: Path.Combine(config.OutFolder, "checkpoints"), Device: device, BFloat16: bfloat16, Seed: config.Seed,
            BatchSize: config.BatchSize, GradientAccumulationSteps: config.GradientAccumulationSteps,
            TokensPerStep: Math.Max(1, (long)Math.Round(meanLength * config.BatchSize * config.GradientAccumulationSteps)),
            MaxSteps: steps, Schedule: config.Schedule(steps), WeightDecay: config.WeightDecay, Beta1: 0.9, Beta2: 0.999,
            GradClip: config.GradClip, EvalEvery: config.EvalEvery, CheckpointEvery: config.CheckpointEvery, KeepLast: config.KeepLast,
            EarlyStoppingPatience: null, RunName: config.RunName ?? $"{config.Loss} {config.Method} {Path.GetFileName(Path.TrimEndingDirectorySeparator(config.PolicyModel))}",
            RunKind: RunKind, RunStorePath: config.RunStorePath, RecordedConfig: config, DataManifestId: metadata.DataManifestId, Resume: config.Resume,
            ResumeFrom: config.ResumeFrom, PeakFlopsPerSecond: peak), session);
        // A PEFT run always starts from the SFT checkpoint (its checkpoints hold only the trained tensors, copied in after).
        bool wholeResume = method is null && loop.ResumeFrom is not null;
        using var model = GptCheckpoint.Load(wholeResume ? loop.ResumeFrom! : config.PolicyModel, target).Model;
        model.to(target);
        Gpt? copy = null;
        Func<Tensor, Tensor> referenceLogits;
        Action<string, IReadOnlyDictionary<string, string>> saveWeights = (folder, extra) => GptCheckpoint.Save(folder, model, metadata with { Extra = extra });
        IPeftModel? peft = null;
        if (method is { } m)
        {
            var settings = config.PeftOrDefault;
            int peftSeed = SeedScope.Derive(config.Seed, "peft-init");
            peft = PeftFactory.Apply(model, m, settings, peftSeed);
            if (loop.ResumeFrom is { } from)
                PeftCheckpoint.LoadWeights(from, peft, settings);
            var info = new PeftCheckpointInfo(PeftFactory.Name(m), settings, peftSeed, Path.GetFullPath(config.PolicyModel), model.Config.VocabSize,
                metadata.Tokenizer, metadata.DataManifestId, new Dictionary<int, int>(), new Dictionary<string, string>());
            saveWeights = (folder, extra) => PeftCheckpoint.Write(folder, peft, info with { Extra = extra });
        }
        if (peft is LoraModel lora)
            referenceLogits = x =>
            {
                using var bare = lora.DisableAdapters();
                return model.call(x);
            };
        else
        {
            copy = Frozen(config.PolicyModel, target);
            referenceLogits = copy.call;
        }
        try
        {
            model.train();
            var task = new PreferenceTask(model, train, validation, config.BatchSize, config.EvalBatches, loop.Seeds, target, referenceLogits,
                config.Beta, config.LossType, saveWeights, twinnable: peft is null);
            var result = loop.Run(task, hooks, cancellationToken);
            var trainable = TrainableParameters.Of(model);
            return new DpoResult(result, config.Loss, config.Beta, config.Method, train.Count, validation.Count, skippedTrain + skippedValidation,
                trainable.Trainable, trainable.Total, note);
        }
        finally
        {
            copy?.Dispose();
        }
    }

    /// <summary>How <paramref name="policyCheckpoint"/> ranks <paramref name="pairs"/> by DPO's implicit reward
    /// β·(log π − log π_ref) over summed response log-probs against <paramref name="referenceCheckpoint"/> (the SFT
    /// start): DPO's own held-out measure. A policy equal to its reference ties every pair: accuracy 0.5.</summary>
    /// <param name="policyCheckpoint">A DPO checkpoint: a whole GPT, or a PEFT checkpoint over the reference.</param>
    /// <param name="referenceCheckpoint">The SFT checkpoint the run started from.</param>
    /// <param name="pairs">Pairs to rank, typically held out.</param>
    /// <param name="beta">β, scaling the rewards (not the ranking).</param>
    /// <param name="tokenizers">Where tokenizer names resolve; the default registry when null.</param>
    /// <param name="device">Where to run; the CPU when null.</param>
    public static RewardAccuracy Evaluate(string policyCheckpoint, string referenceCheckpoint, IReadOnlyList<PreferencePair> pairs, double beta = 0.1,
        TokenizerRegistry? tokenizers = null, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        device ??= CPU;
        var (tokenizer, _) = Start(referenceCheckpoint, tokenizers);
        using var reference = Frozen(referenceCheckpoint, device);
        using var policy = PeftCheckpoint.Exists(policyCheckpoint) ? PeftCheckpoint.Open(policyCheckpoint, device).Model.Model : GptCheckpoint.Load(policyCheckpoint, device).Model;
        policy.eval();
        var encoded = Encode(pairs, tokenizer, ChatTemplate.For(tokenizer), reference.ContextSize, out _);
        return Evaluate(policy, reference.call, encoded, beta, device);
    }

    /// <summary>The ranking of <paramref name="pairs"/> by implicit reward, batch by batch without gradients.</summary>
    internal static RewardAccuracy Evaluate(Gpt policy, Func<Tensor, Tensor> reference, IReadOnlyList<(SftSequence Chosen, SftSequence Rejected)> pairs,
        double beta, Device device, int batchSize = 16)
    {
        var margins = new List<double>(pairs.Count);
        using var noGrad = no_grad();
        foreach (var chunk in pairs.Chunk(batchSize))
        {
            using var scope = NewDisposeScope();
            var batch = PreferenceTask.Batch(chunk);
            var x = tensor(batch.Inputs, [batch.Rows, batch.Length]).to(device);
            var y = tensor(batch.Targets, [batch.Rows, batch.Length]).to(device);
            var ratio = PreferenceLoss.SequenceLogProbs(policy.call(x), y) - PreferenceLoss.SequenceLogProbs(reference(x), y);
            margins.AddRange((beta * (ratio[..chunk.Length] - ratio[chunk.Length..])).to(CPU).data<float>().ToArray().Select(m => (double)m));
        }
        return RewardAccuracy.Of(margins);
    }

    /// <summary>The SFT checkpoint's tokenizer and metadata.</summary>
    /// <exception cref="InvalidOperationException">It is a PEFT checkpoint, or names no tokenizer.</exception>
    static (LlmTokenizer Tokenizer, CheckpointMetadata Metadata) Start(string checkpoint, TokenizerRegistry? tokenizers)
    {
        if (PeftCheckpoint.Exists(checkpoint))
            throw new InvalidOperationException($"{checkpoint} is a PEFT checkpoint; preference tuning starts from a whole SFT checkpoint (full fine-tuning, or merge the adapter first).");
        using var loaded = GptCheckpoint.Load(checkpoint, CPU);
        string name = loaded.Metadata.Tokenizer ?? throw new InvalidOperationException($"The checkpoint {checkpoint} does not name its tokenizer.");
        return ((tokenizers ?? new TokenizerRegistry()).Get(name), loaded.Metadata);
    }

    static int ContextOf(string checkpoint)
    {
        using var loaded = GptCheckpoint.Load(checkpoint, CPU);
        return loaded.Model.ContextSize;
    }

    /// <summary>A copy of the checkpoint that never trains: eval mode (no dropout), no gradients.</summary>
    internal static Gpt Frozen(string checkpoint, Device device)
    {
        var model = GptCheckpoint.Load(checkpoint, device).Model;
        model.to(device);
        model.eval();
        foreach (var parameter in model.parameters())
            parameter.requires_grad = false;
        return model;
    }

    /// <summary>Each pair as its chosen and rejected conversations through the template; pairs with an answer longer than
    /// <paramref name="context"/> are left out and counted.</summary>
    internal static List<(SftSequence Chosen, SftSequence Rejected)> Encode(IReadOnlyList<PreferencePair> pairs, LlmTokenizer tokenizer, ChatTemplate template,
        int context, out int skipped)
    {
        var encoded = new List<(SftSequence, SftSequence)>(pairs.Count);
        foreach (var pair in pairs)
        {
            var chosen = SftSequence.Encode(pair.ChosenExample, tokenizer, template);
            var rejected = SftSequence.Encode(pair.RejectedExample, tokenizer, template);
            if (Math.Max(chosen.Ids.Length, rejected.Ids.Length) - 1 <= context)
                encoded.Add((chosen, rejected));
        }
        skipped = pairs.Count - encoded.Count;
        return encoded;
    }
}
