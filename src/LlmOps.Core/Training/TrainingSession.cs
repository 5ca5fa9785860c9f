using System.Diagnostics;
using System.Globalization;
using LlmOps.Core.Display;
using LlmOps.Core.Platform;
using LlmOps.Core.Tracking;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LlmOps.Core.Training;

/// <summary>
/// One run of a <see cref="TrainingLoop"/>: the state that lives from the first step to the result (history, best loss,
/// data position, run record, display) and the steps over it, read top to bottom: set-up (optimizer, resumed state,
/// bf16 twin, run record), the loop (<see cref="Execute"/>), one step (<see cref="TrainStep"/>), evaluation, checkpoints,
/// the end.
/// </summary>
sealed class TrainingSession<TModel, TBatch> : IDisposable where TModel : nn.Module
{
    const double DisplayInterval = 0.25;

    readonly TrainingLoopConfig config;
    readonly ITrainingTask<TModel, TBatch> task;
    readonly TrainingLoopHooks? hooks;
    readonly PretrainCheckpoints checkpoints;
    readonly TrainerState? resumed;
    readonly Stopwatch session;
    readonly Device target;
    readonly AdamW optimizer;
    readonly ComputeModel<TModel> compute;
    readonly TrackedRun? run;
    readonly IDisplayHandle display;

    readonly List<TrainStep> history;
    readonly List<EvalPoint> evals;
    readonly List<string> runIds;
    readonly double earlierSeconds;
    int step;
    long drawn;
    double bestLoss;
    int bestStep;
    int sinceBest;
    long tokensSeen;
    double smoothTokensPerSecond, smoothMfu, trainingSeconds, lastShown = double.NegativeInfinity;
    int sessionSteps;
    string? lastCheckpoint;
    int savedStep;

    public TrainingSession(TrainingLoop loop, ITrainingTask<TModel, TBatch> task, Stopwatch session, TrainingLoopHooks? hooks)
    {
        (config, this.task, this.hooks, this.session) = (loop.Config, task, hooks, session);
        (checkpoints, resumed) = (loop.Checkpoints, loop.Resumed);
        target = config.Device.ToTorch();
        optimizer = ParameterGroups.CreateAdamW(task.Model, config.Schedule.Peak, config.WeightDecay, config.Beta1, config.Beta2);
        try
        {
            if (resumed is not null)
            {
                PretrainCheckpoints.LoadOptimizer(loop.ResumeFrom!, optimizer);
                RestoreRng(resumed.TorchRngState);
                for (long i = 0; i < resumed.BatchesDrawn; i++)
                    task.NextBatch(); // draw and discard: the seeded stream is back where it stopped
            }
            drawn = resumed?.BatchesDrawn ?? 0;
            var twin = config.BFloat16 ? task.CreateTwin() ?? throw new NotSupportedException(
                $"{task.GetType().Name} cannot build a bf16 twin of its model; train it with Precision Fp32.") : null;
            compute = new ComputeModel<TModel>(task.Model, twin, target);
            compute.Train(true);

            step = resumed?.Step ?? 0;
            history = [.. resumed?.Train ?? []];
            evals = [.. resumed?.Validation ?? []];
            bestLoss = resumed?.BestValidationLoss ?? double.PositiveInfinity;
            bestStep = resumed?.BestStep ?? 0;
            sinceBest = resumed?.EvalsWithoutImprovement ?? 0;
            tokensSeen = resumed?.TokensSeen ?? 0;
            earlierSeconds = resumed?.TrainingSeconds ?? 0;
            runIds = [.. resumed?.RunIds ?? []];
            run = config.RunStorePath is null ? null : OpenRun(RunStore.Open(config.RunStorePath));
            if (run is not null && !runIds.Contains(run.Id))
                runIds.Add(run.Id);
            display = DisplayHook.Show(Progress());
            lastCheckpoint = loop.ResumeFrom;
            savedStep = resumed?.Step ?? -1;
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The loop: steps until the last, an early stop, a divergence or a cancellation, then the result.</summary>
    public PretrainResult Execute(CancellationToken cancellationToken)
    {
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
            double lr = config.Schedule.At(step);
            foreach (var group in optimizer.ParamGroups)
                group.LearningRate = lr;
            if (target.type == DeviceType.CUDA)
                cuda.manual_seed(SeedScope.Derive(config.Seed, $"cuda-step-{step}"));

            var (loss, gradNorm, metrics) = TrainStep();
            if (!double.IsFinite(loss) || !double.IsFinite(gradNorm))
            {
                stop = PretrainStatus.Diverged;
                divergence = Divergence(loss, gradNorm, lr);
                step--;
                break;
            }
            Record(loss, lr, gradNorm, metrics, clock.Elapsed.TotalSeconds);

            bool evaluated = false, improved = false;
            if (step % config.EvalEvery == 0 || step == config.MaxSteps)
            {
                (evaluated, improved) = (true, Evaluate());
                if (!improved && config.EarlyStoppingPatience is { } patience && ++sinceBest >= patience)
                    stop = PretrainStatus.EarlyStopped;
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
        return Finish(stop ?? PretrainStatus.Completed, divergence);
    }

    /// <summary>Forward and backward over the micro-batches, then clip and step, in one dispose scope. The update is
    /// skipped when the loss or the gradient norm is not finite.</summary>
    (double Loss, double GradNorm, Dictionary<string, double>? Metrics) TrainStep()
    {
        double loss, gradNorm = double.NaN;
        Dictionary<string, double>? metrics = null;
        using (var scope = NewDisposeScope())
        {
            compute.PullWeights();
            Tensor? lossSum = null;
            Dictionary<string, Tensor>? metricSums = null;
            for (int micro = 0; micro < config.GradientAccumulationSteps; micro++)
            {
                var batch = task.NextBatch();
                drawn++;
                var output = task.Loss(compute.Model, batch);
                // Scaled so the accumulated gradient is the mean's.
                var microLoss = output.Loss / config.GradientAccumulationSteps;
                microLoss.backward();
                compute.PushGradients();
                lossSum = lossSum is null ? microLoss.detach() : lossSum + microLoss.detach();
                if (output.Metrics is { } outputMetrics)
                {
                    metricSums ??= new(StringComparer.Ordinal);
                    foreach (var (name, value) in outputMetrics)
                    {
                        var part = value.detach() / config.GradientAccumulationSteps;
                        metricSums[name] = metricSums.TryGetValue(name, out var sum) ? sum + part : part;
                    }
                }
            }
            loss = lossSum!.item<float>();
            metrics = metricSums?.ToDictionary(m => m.Key, m => (double)m.Value.item<float>(), StringComparer.Ordinal);
            if (hooks?.Loss is { } replace)
                loss = replace(step, loss);
            if (double.IsFinite(loss))
            {
                // With clipping off the norm is still measured (a cap of +inf scales by one).
                gradNorm = nn.utils.clip_grad_norm_(task.Model.parameters(), config.GradClip > 0 ? config.GradClip : double.PositiveInfinity);
                if (double.IsFinite(gradNorm))
                    optimizer.step();
            }
            optimizer.zero_grad();
        }
        return (loss, gradNorm, metrics);
    }

    string Divergence(double loss, double gradNorm, double lr)
    {
        string what = double.IsFinite(loss)
            ? string.Create(CultureInfo.InvariantCulture, $"the gradient norm was {gradNorm} (loss {loss:F4})")
            : string.Create(CultureInfo.InvariantCulture, $"the training loss was {loss}");
        return string.Create(CultureInfo.InvariantCulture,
            $"Diverged at step {step}: {what} at learning rate {lr:G3}; the step was not applied. ") +
            (lastCheckpoint is null
                ? "No checkpoint was written before it; start again with a lower learning rate or longer warmup."
                : $"The last good checkpoint is {lastCheckpoint}; resume from it (ResumeFrom) with a lower learning rate or longer warmup.");
    }

    /// <summary>Bookkeeping of a step that went through: throughput, MFU, history, the run store.</summary>
    void Record(double loss, double lr, double gradNorm, Dictionary<string, double>? metrics, double seconds)
    {
        trainingSeconds += seconds;
        tokensSeen += config.TokensPerStep;
        sessionSteps++;
        double tokensPerSecond = config.TokensPerStep / seconds;
        double mfu = task.FlopsPerToken * tokensPerSecond / config.PeakFlopsPerSecond;
        smoothTokensPerSecond = sessionSteps == 1 ? tokensPerSecond : (0.9 * smoothTokensPerSecond) + (0.1 * tokensPerSecond);
        smoothMfu = sessionSteps == 1 ? mfu : (0.9 * smoothMfu) + (0.1 * mfu);
        history.Add(new TrainStep(step, loss, lr, gradNorm, tokensPerSecond, mfu));
        run?.Log(step, [new("train/loss", loss), new("lr", lr), new("grad_norm", gradNorm), new("tokens_per_s", tokensPerSecond), new("mfu", mfu),
            .. metrics?.Select(m => new KeyValuePair<string, double>("train/" + m.Key, m.Value)) ?? []]);
    }

    /// <summary>Mean loss over the task's validation batches (weighted by rows), in eval mode and without gradients;
    /// records it and moves the best. Early stopping counts evaluations without a new best.</summary>
    /// <returns>Whether the loss is a new best.</returns>
    bool Evaluate()
    {
        double validationLoss;
        var metricSums = new Dictionary<string, double>(StringComparer.Ordinal);
        compute.PullWeights();
        compute.Train(false);
        try
        {
            using var noGrad = no_grad();
            double sum = 0;
            long rows = 0;
            foreach (var batch in task.ValidationBatches())
            {
                using var scope = NewDisposeScope();
                var output = task.Loss(compute.Model, batch);
                sum += output.Loss.item<float>() * (double)output.Rows;
                rows += output.Rows;
                foreach (var (name, value) in output.Metrics ?? new Dictionary<string, Tensor>())
                    metricSums[name] = metricSums.GetValueOrDefault(name) + (value.item<float>() * (double)output.Rows);
            }
            if (rows == 0)
                throw new InvalidOperationException($"{task.GetType().Name}.ValidationBatches gave no rows to evaluate on.");
            validationLoss = sum / rows;
            foreach (string name in metricSums.Keys)
                metricSums[name] /= rows;
        }
        finally
        {
            compute.Train(true);
        }
        if (hooks?.ValidationLoss is { } replace)
            validationLoss = replace(step, validationLoss);
        evals.Add(new EvalPoint(step, validationLoss));
        run?.Log(step, [new("val/loss", validationLoss), .. metricSums.Select(m => new KeyValuePair<string, double>("val/" + m.Key, m.Value))]);
        if (validationLoss >= bestLoss)
            return false;
        (bestLoss, bestStep, sinceBest) = (validationLoss, step, 0);
        return true;
    }

    void SaveCheckpoint(bool isBest)
    {
        var state = new TrainerState(step, drawn, CaptureRng(), bestLoss, bestStep, sinceBest, tokensSeen,
            earlierSeconds + session.Elapsed.TotalSeconds, config.Seed, config.BatchSize, config.GradientAccumulationSteps,
            config.Schedule, [.. history], [.. evals], [.. runIds]);
        var extra = new Dictionary<string, string>
        {
            ["step"] = step.ToString(CultureInfo.InvariantCulture),
            ["train_loss"] = (history.Count > 0 ? history[^1].Loss : double.NaN).ToString("R", CultureInfo.InvariantCulture),
            ["val_loss"] = (evals.Count > 0 ? evals[^1].Loss : double.NaN).ToString("R", CultureInfo.InvariantCulture),
        };
        lastCheckpoint = checkpoints.Save(folder => task.SaveWeights(folder, extra), optimizer, state, isBest);
        savedStep = step;
    }

    /// <summary>The end: a resumable checkpoint unless the run diverged, the run record, the result.</summary>
    PretrainResult Finish(PretrainStatus status, string? divergence)
    {
        if (status != PretrainStatus.Diverged && savedStep != step)
            SaveCheckpoint(isBest: false);
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
        long sessionTokens = config.TokensPerStep * sessionSteps;
        double sessionTokensPerSecond = trainingSeconds > 0 ? sessionTokens / trainingSeconds : 0;
        return new PretrainResult(config.RunName, status, message, step, config.MaxSteps, resumed?.Step,
            history.Count > 0 ? history[^1].Loss : double.NaN, evals.Count > 0 ? evals[^1].Loss : double.NaN,
            evals.Count > 0 ? bestLoss : double.NaN, bestStep, tokensSeen, session.Elapsed.TotalSeconds,
            sessionTokensPerSecond, task.FlopsPerToken * sessionTokensPerSecond / config.PeakFlopsPerSecond,
            config.PeakFlopsPerSecond, config.Where, lastCheckpoint, checkpoints.Best, onDisk, run?.Id, history, evals);
    }

    PretrainProgress Progress() => new(config.RunName, step, config.MaxSteps, [.. history], [.. evals],
        history.Count > 0 ? history[^1].LearningRate : config.Schedule.At(Math.Max(1, step + 1)), smoothTokensPerSecond, smoothMfu,
        earlierSeconds + session.Elapsed.TotalSeconds,
        sessionSteps > 0 ? session.Elapsed.TotalSeconds / sessionSteps * (config.MaxSteps - step) : null, config.Where);

    /// <summary>The run record this training writes to: a resumed training continues the record its checkpoint names
    /// (one run, one set of curves, however often it was interrupted), or starts one when the checkpoint names none in
    /// this store (another store, or a run tracked nowhere before).</summary>
    TrackedRun OpenRun(RunStore store)
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
        return store.StartRun(config.RunName, config.RunKind, config.RecordedConfig, config.DataManifestId);
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

    public void Dispose()
    {
        run?.Dispose();
        compute?.Dispose();
        optimizer.Dispose();
    }
}
