using System.Diagnostics;
using System.Globalization;
using LlmOps.Core.Data;
using LlmOps.Core.Display;
using LlmOps.Core.Modeling;
using LlmOps.Core.Platform;
using LlmOps.Core.Tokenization.Shards;
using LlmOps.Core.Tracking;
using TorchSharp;
using static TorchSharp.torch;

namespace LlmOps.Core.Training;

/// <summary>
/// Pretrains a <see cref="Gpt"/> on token shards, read top to bottom like nanoGPT's <c>train.py</c>: set-up (device,
/// data, seeds, model and optimizer, fresh or resumed), then the loop (learning rate from the schedule, micro-batches
/// with gradient accumulation, clipping, the AdamW step, evaluation, checkpoints, early stopping), then the result.
/// </summary>
/// <remarks>
/// <para>Exact resume: a checkpoint holds the weights, AdamW's moments and step counts, the data position (batches
/// drawn by the seeded sampler), libtorch's CPU generator (dropout) and the history, and the schedule is a function
/// of the step, so a run stopped at step k and resumed reproduces the uninterrupted run's losses bit for bit on the
/// CPU. TorchSharp 0.107 cannot read a CUDA generator's state, so on CUDA the generator is reseeded from (seed, step)
/// at every step instead: still exact, by construction.</para>
/// <para>Cancellation is checked between steps; a cancelled run writes a checkpoint of its last whole step and returns
/// <see cref="PretrainStatus.Cancelled"/>. A NaN or infinite loss or gradient norm stops the run before the update is
/// applied, with <see cref="PretrainStatus.Diverged"/> and a message naming the step and the last good checkpoint.</para>
/// </remarks>
public static class Pretrainer
{
    /// <summary>The run store's kind for these runs.</summary>
    public const string RunKind = "pretrain";

    const double DisplayInterval = 0.25;

    /// <summary>Trains as <paramref name="config"/> says, showing a live <see cref="PretrainProgress"/> through the
    /// display hook. Synchronous (the work is compute); run it on a worker thread to keep a UI responsive.</summary>
    /// <param name="config">Every setting of the run.</param>
    /// <param name="cancellationToken">Stops the run after the step in progress, leaving a resumable checkpoint.</param>
    /// <exception cref="ArgumentException">The config is invalid (every problem is listed).</exception>
    /// <exception cref="InvalidOperationException">The data does not fit the model, or a checkpoint to resume from was
    /// written by a different run shape; the message says what differs.</exception>
    public static PretrainResult Run(PretrainConfig config, CancellationToken cancellationToken = default) => Run(config, null, cancellationToken);

    internal static PretrainResult Run(PretrainConfig config, PretrainHooks? hooks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        var session = Stopwatch.StartNew();

        // ---- device and data -----------------------------------------------------------------------------------
        var device = DeviceSelector.Select(config.Device);
        var target = device.ToTorch();
        bool bfloat16 = config.Precision == MixedPrecision.Bf16 || (config.Precision == MixedPrecision.Auto && device.Device == DevicePreference.Cuda);
        string where = $"{device.Name} {(bfloat16 ? "bf16" : "fp32")}";
        // Measured before seeding: the benchmark's random matrices would otherwise move the dropout stream.
        double peak = config.PeakFlopsPerSecond ?? MatmulMeasurement.Measure(target, size: 1024, minSeconds: 0.25).GFlops * 1e9;
        using var train = TokenDataset.Open(config.TrainData);
        using var validation = TokenDataset.Open(config.ValidationData);
        CheckData(config, train, validation);
        var checkpoints = new PretrainCheckpoints(Path.Combine(config.OutFolder, "checkpoints"), config.KeepLast);
        var metadata = new CheckpointMetadata(config.Tokenizer ?? train.Index.Tokenizer, DataManifestId(train));
        var schedule = config.Schedule();
        string runName = config.RunName ?? DefaultName(config.Model);
        long tokensPerStep = config.TokensPerStep;

        // ---- seeds, model and optimizer: fresh, or resumed from a checkpoint -------------------------------------
        var seeds = Seeding.SeedEverything(config.Seed);
        var sampler = new TokenBatchSampler(train, config.BatchSize, config.BlockSize, seeds);
        string? resumeFrom = config.ResumeFrom ?? (config.Resume ? checkpoints.Last : RefuseExisting(checkpoints));
        var resumed = resumeFrom is null ? null : ResumableState(resumeFrom, config);
        using var model = resumeFrom is null ? new Gpt(config.Model, config.Seed) : LoadModel(resumeFrom, config, target);
        model.to(target);
        model.train();
        using var optimizer = ParameterGroups.CreateAdamW(model, config.LearningRate, config.WeightDecay, config.Beta1, config.Beta2);
        if (resumed is not null)
        {
            PretrainCheckpoints.LoadOptimizer(resumeFrom!, optimizer);
            RestoreRng(resumed.TorchRngState);
            for (long i = 0; i < resumed.BatchesDrawn; i++)
                sampler.Next(); // draw and discard: the seeded stream is back where it stopped
        }
        using var compute = new ComputeModel(model, bfloat16, target);
        compute.Train(true);
        double flopsPerToken = model.EstimateFlopsPerToken();

        int step = resumed?.Step ?? 0;
        var history = new List<TrainStep>(resumed?.Train ?? []);
        var evals = new List<EvalPoint>(resumed?.Validation ?? []);
        double bestLoss = resumed?.BestValidationLoss ?? double.PositiveInfinity;
        int bestStep = resumed?.BestStep ?? 0;
        int sinceBest = resumed?.EvalsWithoutImprovement ?? 0;
        long tokensSeen = resumed?.TokensSeen ?? 0;
        double earlierSeconds = resumed?.TrainingSeconds ?? 0;
        var runIds = new List<string>(resumed?.RunIds ?? []);

        // ---- tracking and display ----------------------------------------------------------------------------
        using var run = config.RunStorePath is null ? null : OpenRun(RunStore.Open(config.RunStorePath), resumed, runName, config, metadata);
        if (run is not null && !runIds.Contains(run.Id))
            runIds.Add(run.Id);
        double smoothTokensPerSecond = 0, smoothMfu = 0, trainingSeconds = 0, lastShown = double.NegativeInfinity;
        int sessionSteps = 0;
        PretrainProgress Progress() => new(runName, step, config.MaxSteps, [.. history], [.. evals],
            history.Count > 0 ? history[^1].LearningRate : schedule.At(Math.Max(1, step + 1)), smoothTokensPerSecond, smoothMfu,
            earlierSeconds + session.Elapsed.TotalSeconds,
            sessionSteps > 0 ? session.Elapsed.TotalSeconds / sessionSteps * (config.MaxSteps - step) : null, where);
        var display = DisplayHook.Show(Progress());

        string? lastCheckpoint = resumeFrom;
        int savedStep = resumed?.Step ?? -1;
        string SaveCheckpoint(bool isBest)
        {
            var state = new TrainerState(step, sampler.Drawn, CaptureRng(), bestLoss, bestStep, sinceBest, tokensSeen,
                earlierSeconds + session.Elapsed.TotalSeconds, config.Seed, config.BatchSize, config.GradientAccumulationSteps,
                schedule, [.. history], [.. evals], [.. runIds]);
            var extra = new Dictionary<string, string>
            {
                ["step"] = step.ToString(CultureInfo.InvariantCulture),
                ["train_loss"] = (history.Count > 0 ? history[^1].Loss : double.NaN).ToString("R", CultureInfo.InvariantCulture),
                ["val_loss"] = (evals.Count > 0 ? evals[^1].Loss : double.NaN).ToString("R", CultureInfo.InvariantCulture),
            };
            lastCheckpoint = checkpoints.Save(model, optimizer, state, metadata with { Extra = extra }, isBest);
            savedStep = step;
            return lastCheckpoint;
        }

        // ---- the loop -------------------------------------------------------------------------------------------
        PretrainStatus? stop = null;
        string? divergence = null;
        while (step < config.MaxSteps)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                stop = PretrainStatus.Cancelled;
                break;
            }
            step++;
            var clock = Stopwatch.StartNew();

            // The learning rate of this step, for both groups (the no-decay group differs only in weight decay).
            double lr = schedule.At(step);
            foreach (var group in optimizer.ParamGroups)
                group.LearningRate = lr;
            if (target.type == DeviceType.CUDA)
                cuda.manual_seed(SeedScope.Derive(config.Seed, $"cuda-step-{step}"));

            // Forward and backward over the micro-batches, then clip and step: one dispose scope for the whole step.
            double loss, gradNorm = double.NaN;
            using (var scope = NewDisposeScope())
            {
                compute.PullWeights();
                Tensor? lossSum = null;
                for (int micro = 0; micro < config.GradientAccumulationSteps; micro++)
                {
                    var batch = sampler.Next();
                    var x = tensor(batch.Inputs, new long[] { batch.BatchSize, batch.BlockSize }).to(target);
                    var y = tensor(batch.Targets, new long[] { batch.BatchSize, batch.BlockSize }).to(target);
                    var logits = compute.Model.call(x);
                    // The loss in fp32 whatever the pass ran in; scaled so the accumulated gradient is the mean's.
                    var microLoss = Gpt.CrossEntropy(logits.to(ScalarType.Float32), y) / config.GradientAccumulationSteps;
                    microLoss.backward();
                    compute.PushGradients();
                    lossSum = lossSum is null ? microLoss.detach() : lossSum + microLoss.detach();
                }
                loss = lossSum!.item<float>();
                if (hooks?.Loss is { } replace)
                    loss = replace(step, loss);
                if (double.IsFinite(loss))
                {
                    // With clipping off the norm is still measured (a cap of +inf scales by one).
                    gradNorm = nn.utils.clip_grad_norm_(model.parameters(), config.GradClip > 0 ? config.GradClip : double.PositiveInfinity);
                    if (double.IsFinite(gradNorm))
                        optimizer.step();
                }
                optimizer.zero_grad();
            }
            if (!double.IsFinite(loss) || !double.IsFinite(gradNorm))
            {
                stop = PretrainStatus.Diverged;
                string what = double.IsFinite(loss)
                    ? string.Create(CultureInfo.InvariantCulture, $"the gradient norm was {gradNorm} (loss {loss:F4})")
                    : string.Create(CultureInfo.InvariantCulture, $"the training loss was {loss}");
                divergence = string.Create(CultureInfo.InvariantCulture,
                    $"Diverged at step {step}: {what} at learning rate {lr:G3}; the step was not applied. ") +
                    (lastCheckpoint is null
                        ? "No checkpoint was written before it; start again with a lower learning rate or longer warmup."
                        : $"The last good checkpoint is {lastCheckpoint}; resume from it (ResumeFrom) with a lower learning rate or longer warmup.");
                step--;
                break;
            }

            // Bookkeeping: throughput, MFU, history, tracking.
            double seconds = clock.Elapsed.TotalSeconds;
            trainingSeconds += seconds;
            tokensSeen += tokensPerStep;
            sessionSteps++;
            double tokensPerSecond = tokensPerStep / seconds;
            double mfu = flopsPerToken * tokensPerSecond / peak;
            smoothTokensPerSecond = sessionSteps == 1 ? tokensPerSecond : (0.9 * smoothTokensPerSecond) + (0.1 * tokensPerSecond);
            smoothMfu = sessionSteps == 1 ? mfu : (0.9 * smoothMfu) + (0.1 * mfu);
            history.Add(new TrainStep(step, loss, lr, gradNorm, tokensPerSecond, mfu));
            run?.Log(step, [new("train/loss", loss), new("lr", lr), new("grad_norm", gradNorm), new("tokens_per_s", tokensPerSecond), new("mfu", mfu)]);

            // Evaluation on the same validation windows every time; early stopping counts evaluations without a new best.
            bool evaluated = false, improved = false;
            if (step % config.EvalEvery == 0 || step == config.MaxSteps)
            {
                double validationLoss = Evaluate(compute, validation, config, target);
                if (hooks?.ValidationLoss is { } replaceValidation)
                    validationLoss = replaceValidation(step, validationLoss);
                evals.Add(new EvalPoint(step, validationLoss));
                run?.Log(step, "val/loss", validationLoss);
                evaluated = true;
                if (validationLoss < bestLoss)
                {
                    (bestLoss, bestStep, sinceBest, improved) = (validationLoss, step, 0, true);
                }
                else if (config.EarlyStoppingPatience is { } patience && ++sinceBest >= patience)
                {
                    stop = PretrainStatus.EarlyStopped;
                }
            }

            // Checkpoints: on schedule, on a new best (so "best" always names saved weights), at the end.
            if (step % config.CheckpointEvery == 0 || improved || step == config.MaxSteps || stop is not null)
                SaveCheckpoint(improved);

            double now = session.Elapsed.TotalSeconds;
            if (evaluated || now - lastShown >= DisplayInterval)
            {
                display.Update(Progress());
                lastShown = now;
            }
            hooks?.AfterStep?.Invoke(step);
            if (stop is not null)
                break;
        }

        // ---- the end: a resumable checkpoint unless the run diverged, the record, the result -------------------
        if (stop != PretrainStatus.Diverged && savedStep != step)
            SaveCheckpoint(isBest: false);
        var status = stop ?? PretrainStatus.Completed;
        string message = status switch
        {
            PretrainStatus.Completed => string.Create(CultureInfo.InvariantCulture, $"Completed {step} steps."),
            PretrainStatus.EarlyStopped => string.Create(CultureInfo.InvariantCulture,
                $"Stopped early at step {step}: no validation improvement in {config.EarlyStoppingPatience} evaluations since step {bestStep} ({bestLoss:F4})."),
            PretrainStatus.Cancelled => string.Create(CultureInfo.InvariantCulture, $"Cancelled after step {step}; resume from {lastCheckpoint}."),
            _ => divergence!,
        };
        display.Update(Progress());
        var onDisk = checkpoints.Steps().Select(s => s.Path).ToList();
        if (run is not null)
        {
            foreach (string folder in onDisk)
                run.AddArtifact($"checkpoint {Path.GetFileName(folder)}", folder);
            run.Finish(status switch
            {
                PretrainStatus.Cancelled => RunStatus.Cancelled,
                PretrainStatus.Diverged => RunStatus.Failed,
                _ => RunStatus.Finished,
            }, message);
        }
        long sessionTokens = tokensPerStep * sessionSteps;
        double sessionTokensPerSecond = trainingSeconds > 0 ? sessionTokens / trainingSeconds : 0;
        return new PretrainResult(runName, status, message, step, config.MaxSteps, resumed?.Step,
            history.Count > 0 ? history[^1].Loss : double.NaN, evals.Count > 0 ? evals[^1].Loss : double.NaN,
            evals.Count > 0 ? bestLoss : double.NaN, bestStep, tokensSeen, session.Elapsed.TotalSeconds,
            sessionTokensPerSecond, flopsPerToken * sessionTokensPerSecond / peak, peak, where,
            lastCheckpoint, checkpoints.Best, onDisk, run?.Id, history, evals);
    }

    /// <summary>The run record this training writes to: a resumed training continues the record its checkpoint names
    /// (one run, one set of curves, however often it was interrupted), or starts one when the checkpoint names none in
    /// this store (another store, or a run tracked nowhere before).</summary>
    static TrackedRun OpenRun(RunStore store, TrainerState? resumed, string runName, PretrainConfig config, CheckpointMetadata metadata)
    {
        if (resumed is { RunIds: [.., var last] })
        {
            try
            {
                return store.ResumeRun(last, resumed.Step);
            }
            catch (KeyNotFoundException)
            {
                // The checkpoint's run was recorded in another store: this one starts its own record.
            }
        }
        return store.StartRun(runName, RunKind, config, metadata.DataManifestId);
    }

    /// <summary>Mean loss over the first <see cref="PretrainConfig.EvalBatches"/> validation batches (weighted by rows),
    /// in eval mode and without gradients; the same windows every time, so the curve moves only with the model.</summary>
    static double Evaluate(ComputeModel compute, TokenDataset validation, PretrainConfig config, Device target)
    {
        compute.PullWeights();
        compute.Train(false);
        try
        {
            using var noGrad = no_grad();
            double sum = 0;
            long rows = 0;
            foreach (var batch in validation.Sequential(config.BatchSize, config.BlockSize).Take(config.EvalBatches))
            {
                using var scope = NewDisposeScope();
                var x = tensor(batch.Inputs, new long[] { batch.BatchSize, batch.BlockSize }).to(target);
                var y = tensor(batch.Targets, new long[] { batch.BatchSize, batch.BlockSize }).to(target);
                var logits = compute.Model.call(x);
                sum += Gpt.CrossEntropy(logits.to(ScalarType.Float32), y).item<float>() * (double)batch.BatchSize;
                rows += batch.BatchSize;
            }
            return sum / rows;
        }
        finally
        {
            compute.Train(true);
        }
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

    static string? RefuseExisting(PretrainCheckpoints checkpoints) => checkpoints.Steps().Count == 0 ? null
        : throw new InvalidOperationException(
            $"{checkpoints.Folder} already holds checkpoints of a run, and Resume is off: set Resume to continue that run, or choose another OutFolder.");

    /// <summary>The trainer state of <paramref name="folder"/>, checked against the settings that decide the data order:
    /// resuming with others would silently train on different batches than the run it continues.</summary>
    static TrainerState ResumableState(string folder, PretrainConfig config)
    {
        var state = TrainerState.Load(Path.Combine(folder, TrainerState.FileName));
        var differences = new List<string>();
        if (state.Seed != config.Seed)
            differences.Add($"Seed {state.Seed} → {config.Seed}");
        if (state.BatchSize != config.BatchSize)
            differences.Add($"BatchSize {state.BatchSize} → {config.BatchSize}");
        if (state.GradientAccumulationSteps != config.GradientAccumulationSteps)
            differences.Add($"GradientAccumulationSteps {state.GradientAccumulationSteps} → {config.GradientAccumulationSteps}");
        return differences.Count == 0 ? state : throw new InvalidOperationException(
            $"Cannot resume {folder} exactly: the config changes {string.Join(", ", differences)}. Use the run's settings, or start a new run in another OutFolder.");
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

    static string CaptureRng()
    {
        using var state = random.get_rng_state();
        return Convert.ToBase64String(state.data<byte>().ToArray());
    }

    static void RestoreRng(string base64)
    {
        using var state = tensor(Convert.FromBase64String(base64));
        random.set_rng_state(state);
    }

    static string DefaultName(GptConfig model) => string.Create(CultureInfo.InvariantCulture,
        $"gpt {model.Layers}L {model.Heads}H {model.EmbeddingSize}E ctx{model.BlockSize}");
}
