using LlmOps.Core.Platform;

namespace LlmOps.Core.Training;

/// <summary>
/// The settings the <see cref="TrainingLoop"/> itself uses, whatever the trainer: each trainer's own config (for
/// example <see cref="PretrainConfig"/>) is what users write, and it maps onto this one.
/// </summary>
/// <param name="CheckpointFolder">Where step checkpoints and the <c>last</c>/<c>best</c> pointers go.</param>
/// <param name="Device">Where the passes run (the task's model must already be there).</param>
/// <param name="BFloat16">Run the passes in bf16 on a twin of the model, with fp32 master weights (see <see cref="MixedPrecision"/>).</param>
/// <param name="Seed">Seeds libtorch's generators (dropout) and the <see cref="TrainingLoop.Seeds"/> scope the task draws its data from.</param>
/// <param name="BatchSize">Rows per micro-batch: recorded in checkpoints, since a resume with another would change the data order.</param>
/// <param name="GradientAccumulationSteps">Micro-batches per optimizer step.</param>
/// <param name="TokensPerStep">Tokens (or rows, for a task without tokens) one optimizer step trains on, for throughput and MFU.</param>
/// <param name="MaxSteps">Optimizer steps of the whole run (a resumed run continues up to this).</param>
/// <param name="Schedule">The learning rate of each step.</param>
/// <param name="WeightDecay">AdamW's decoupled weight decay, on matrices only (see <see cref="ParameterGroups"/>).</param>
/// <param name="Beta1">Adam's first-moment decay.</param>
/// <param name="Beta2">Adam's second-moment decay.</param>
/// <param name="GradClip">Clip the global gradient norm to this; 0 turns clipping off (the norm is still measured).</param>
/// <param name="EvalEvery">Evaluate every this many steps (and at the last step).</param>
/// <param name="CheckpointEvery">Write a checkpoint every this many steps (and at the end, on cancellation, on a new best).</param>
/// <param name="KeepLast">Step checkpoints kept besides the best.</param>
/// <param name="EarlyStoppingPatience">Stop after this many evaluations without a new best validation loss; null is off.</param>
/// <param name="RunName">The run's name in the display and the run store.</param>
/// <param name="RunKind">The run store's kind for these runs (<c>pretrain</c>, <c>sft</c>, ...).</param>
/// <param name="RunStorePath">The SQLite run store to record into; null records nothing.</param>
/// <param name="RecordedConfig">What the run store keeps as the run's config: the trainer's own config record.</param>
/// <param name="DataManifestId">The data's provenance for the run store, or null.</param>
/// <param name="Resume">Continue from the newest checkpoint in <paramref name="CheckpointFolder"/>; when false, a folder that
/// already holds checkpoints is an error rather than silently mixed with a new run.</param>
/// <param name="ResumeFrom">A checkpoint folder to continue from explicitly (wins over <paramref name="Resume"/>).</param>
/// <param name="PeakFlopsPerSecond">The FLOP/s that MFU is quoted against.</param>
public sealed record TrainingLoopConfig(
    string CheckpointFolder,
    DeviceSelection Device,
    bool BFloat16,
    int Seed,
    int BatchSize,
    int GradientAccumulationSteps,
    long TokensPerStep,
    int MaxSteps,
    LearningRateSchedule Schedule,
    double WeightDecay,
    double Beta1,
    double Beta2,
    double GradClip,
    int EvalEvery,
    int CheckpointEvery,
    int KeepLast,
    int? EarlyStoppingPatience,
    string RunName,
    string RunKind,
    string? RunStorePath = null,
    object? RecordedConfig = null,
    string? DataManifestId = null,
    bool Resume = true,
    string? ResumeFrom = null,
    double PeakFlopsPerSecond = 1e11)
{
    /// <summary>Where the run happens, as the display says it: <c>cpu fp32</c>, <c>cuda bf16</c>.</summary>
    public string Where => $"{Device.Name} {(BFloat16 ? "bf16" : "fp32")}";

    /// <summary>Checks the counts the loop divides or loops by; each trainer's config checks its own knobs with
    /// messages in its own terms before mapping onto this.</summary>
    /// <returns>This config, for chaining.</returns>
    /// <exception cref="ArgumentException">A setting cannot work; the message names each.</exception>
    public TrainingLoopConfig Validate()
    {
        var problems = new List<string>();
        void Positive(bool ok, string name)
        {
            if (!ok)
                problems.Add($"{name} must be positive");
        }
        Positive(BatchSize >= 1, nameof(BatchSize));
        Positive(GradientAccumulationSteps >= 1, nameof(GradientAccumulationSteps));
        Positive(TokensPerStep >= 1, nameof(TokensPerStep));
        Positive(MaxSteps >= 1, nameof(MaxSteps));
        Positive(EvalEvery >= 1, nameof(EvalEvery));
        Positive(CheckpointEvery >= 1, nameof(CheckpointEvery));
        Positive(KeepLast >= 1, nameof(KeepLast));
        Positive(EarlyStoppingPatience is null or >= 1, nameof(EarlyStoppingPatience));
        Positive(PeakFlopsPerSecond > 0, nameof(PeakFlopsPerSecond));
        return problems.Count == 0 ? this : throw new ArgumentException($"Invalid training loop settings: {string.Join("; ", problems)}.");
    }
}
