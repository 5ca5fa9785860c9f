using System.Diagnostics;
using LlmOps.Core.Platform;

namespace LlmOps.Core.Training;

/// <summary>
/// The training skeleton every trainer shares, nanoGPT's <c>train.py</c> loop with the task's parts taken out: AdamW
/// with decay groups, warmup + cosine, gradient accumulation, clipping, bf16 passes on fp32 master weights, evaluation,
/// early stopping, atomic checkpoints with exact resume, a NaN stop, cancellation, live progress and the run store. A
/// trainer supplies an <see cref="ITrainingTask{TModel, TBatch}"/> (model, batches, loss, weights format).
/// </summary>
/// <remarks>
/// <para>Two phases, because the model depends on where the run resumes from: constructing the loop seeds libtorch,
/// finds the checkpoint to resume (<see cref="ResumeFrom"/>, checked against the settings that fix the data order) and
/// hands out the <see cref="Seeds"/> for the task's data; the trainer then builds its model (fresh, or loaded from
/// <see cref="ResumeFrom"/>) and its task, and <see cref="Run{TModel, TBatch}(ITrainingTask{TModel, TBatch}, CancellationToken)"/>
/// trains.</para>
/// <para>Exact resume: a checkpoint holds the weights, AdamW's moments and step counts, the batches drawn, libtorch's
/// CPU generator (dropout) and the history, and the schedule is a function of the step, so a run stopped at step k and
/// resumed reproduces the uninterrupted run's losses bit for bit on the CPU. TorchSharp 0.107 cannot read a CUDA
/// generator's state, so on CUDA the generator is reseeded from (seed, step) at every step instead.</para>
/// <para>Cancellation is checked between steps; a cancelled run writes a checkpoint of its last whole step and returns
/// <see cref="PretrainStatus.Cancelled"/>. A NaN or infinite loss or gradient norm stops the run before the update is
/// applied, with <see cref="PretrainStatus.Diverged"/> and a message naming the step and the last good checkpoint.</para>
/// </remarks>
public sealed class TrainingLoop
{
    readonly Stopwatch session;
    bool ran;

    /// <summary>Seeds the run and decides where it resumes from.</summary>
    /// <param name="config">The loop's settings.</param>
    /// <param name="session">A stopwatch started when the trainer began (so set-up counts in the session's time); null
    /// starts one now.</param>
    /// <exception cref="ArgumentException">A setting cannot work.</exception>
    /// <exception cref="InvalidOperationException">The checkpoint folder holds a run and resuming is off, or the checkpoint
    /// to resume was written with another seed, batch size or accumulation; the message says what differs.</exception>
    public TrainingLoop(TrainingLoopConfig config, Stopwatch? session = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        Config = config.Validate();
        this.session = session ?? Stopwatch.StartNew();
        Seeds = Seeding.SeedEverything(config.Seed);
        Checkpoints = new PretrainCheckpoints(config.CheckpointFolder, config.KeepLast);
        ResumeFrom = config.ResumeFrom ?? (config.Resume ? Checkpoints.Last : RefuseExisting(Checkpoints));
        Resumed = ResumeFrom is null ? null : ResumableState(ResumeFrom, config);
    }

    /// <summary>The loop's settings.</summary>
    public TrainingLoopConfig Config { get; }

    /// <summary>The run's seed scope: the task draws its data order (and any other .NET randomness) from it.</summary>
    public SeedScope Seeds { get; }

    /// <summary>The run's checkpoints folder.</summary>
    public PretrainCheckpoints Checkpoints { get; }

    /// <summary>The checkpoint this run continues (the trainer loads its model from it), or null for a fresh run.</summary>
    public string? ResumeFrom { get; }

    /// <summary>The trainer state of <see cref="ResumeFrom"/>, or null for a fresh run.</summary>
    public TrainerState? Resumed { get; }

    /// <summary>Trains <paramref name="task"/> to <see cref="TrainingLoopConfig.MaxSteps"/> (or an early stop, a divergence,
    /// a cancellation), showing a live <see cref="PretrainProgress"/> through the display hook. Synchronous: the work is
    /// compute. A loop runs once.</summary>
    /// <param name="task">The trainer's parts; its model is where this loop's <see cref="ResumeFrom"/> says.</param>
    /// <param name="cancellationToken">Stops the run after the step in progress, leaving a resumable checkpoint.</param>
    /// <returns>How the run ended, its history and its checkpoints.</returns>
    public PretrainResult Run<TModel, TBatch>(ITrainingTask<TModel, TBatch> task, CancellationToken cancellationToken = default)
        where TModel : TorchSharp.torch.nn.Module => Run(task, null, cancellationToken);

    internal PretrainResult Run<TModel, TBatch>(ITrainingTask<TModel, TBatch> task, TrainingLoopHooks? hooks, CancellationToken cancellationToken)
        where TModel : TorchSharp.torch.nn.Module
    {
        ArgumentNullException.ThrowIfNull(task);
        if (ran)
            throw new InvalidOperationException("A TrainingLoop runs once; construct another for another run.");
        ran = true;
        using var run = new TrainingSession<TModel, TBatch>(this, task, session, hooks);
        return run.Execute(cancellationToken);
    }

    static string? RefuseExisting(PretrainCheckpoints checkpoints) => checkpoints.Steps().Count == 0 ? null
        : throw new InvalidOperationException(
            $"{checkpoints.Folder} already holds checkpoints of a run, and Resume is off: set Resume to continue that run, or choose another OutFolder.");

    /// <summary>The trainer state of <paramref name="folder"/>, checked against the settings that decide the data order:
    /// resuming with others would silently train on different batches than the run it continues.</summary>
    static TrainerState ResumableState(string folder, TrainingLoopConfig config)
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
}
