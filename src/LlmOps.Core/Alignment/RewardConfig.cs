using System.Globalization;
using System.Text.Json;
using LlmOps.Core.IO;
using LlmOps.Core.Training;

namespace LlmOps.Core.Alignment;

/// <summary>
/// Every setting of a reward model run (<see cref="RewardModelTrainer"/>): the checkpoint the body starts from, the
/// preference data, and the shared trainer's knobs. Reward models train in fp32 (the loop's bf16 twin is a plain GPT).
/// </summary>
/// <param name="BaseModel">The checkpoint folder the body starts from (a whole <see cref="Modeling.GptCheckpoint"/>,
/// usually the SFT model); its tokenizer and chat template encode the pairs.</param>
/// <param name="TrainData">Preference JSONL to train on.</param>
/// <param name="ValidationData">Preference JSONL for the validation loss and accuracy.</param>
/// <param name="OutFolder">Where checkpoints go.</param>
/// <param name="BatchSize">Pairs per micro-batch.</param>
/// <param name="GradientAccumulationSteps">Micro-batches per optimizer step.</param>
/// <param name="Epochs">Passes over the training pairs; sets the step count unless <paramref name="MaxSteps"/> does.</param>
/// <param name="MaxSteps">Optimizer steps; null derives them from <paramref name="Epochs"/>.</param>
/// <param name="LearningRate">Peak learning rate.</param>
/// <param name="WarmupSteps">Linear warmup steps (then cosine to a tenth of the peak).</param>
/// <param name="WeightDecay">AdamW's decoupled weight decay, on matrices.</param>
/// <param name="GradClip">Global gradient-norm clip; 0 is off.</param>
/// <param name="EvalEvery">Validation every this many steps (and at the last).</param>
/// <param name="EvalBatches">Validation batches per evaluation; null is the whole validation file.</param>
/// <param name="CheckpointEvery">Checkpoint every this many steps (and at the end, on a new best, on cancellation).</param>
/// <param name="KeepLast">Step checkpoints kept besides the best.</param>
/// <param name="Device"><c>auto</c>, <c>cpu</c>, <c>cuda</c>, or null for <c>LLMOPS_DEVICE</c> / auto.</param>
/// <param name="Seed">Seeds the data order, the head's initialisation and dropout.</param>
/// <param name="RunName">The run's name; null derives one.</param>
/// <param name="RunStorePath">The SQLite run store; null records nothing.</param>
/// <param name="Resume">Continue from <c>checkpoints/last</c> when the out folder has one.</param>
/// <param name="PeakFlopsPerSecond">The FLOP/s MFU is quoted against; null measures a matmul once.</param>
public sealed record RewardConfig(
    string BaseModel,
    string TrainData,
    string ValidationData,
    string OutFolder,
    int BatchSize = 8,
    int GradientAccumulationSteps = 1,
    double Epochs = 1,
    int? MaxSteps = null,
    double LearningRate = 5e-5,
    int WarmupSteps = 0,
    double WeightDecay = 0.0,
    double GradClip = 1.0,
    int EvalEvery = 50,
    int? EvalBatches = null,
    int CheckpointEvery = 200,
    int KeepLast = 2,
    string? Device = null,
    int Seed = 1337,
    string? RunName = null,
    string? RunStorePath = null,
    bool Resume = true,
    double? PeakFlopsPerSecond = null)
{
    /// <summary>Checks every setting at once.</summary>
    /// <exception cref="ArgumentException">A setting cannot work; the message names each.</exception>
    public RewardConfig Validate()
    {
        var problems = new List<string>();
        void Check(bool ok, FormattableString problem)
        {
            if (!ok)
                problems.Add(problem.ToString(CultureInfo.InvariantCulture));
        }
        Check(!string.IsNullOrWhiteSpace(BaseModel), $"{nameof(BaseModel)} must name a checkpoint folder");
        Check(!string.IsNullOrWhiteSpace(TrainData), $"{nameof(TrainData)} must name a preference JSONL file");
        Check(!string.IsNullOrWhiteSpace(ValidationData), $"{nameof(ValidationData)} must name a preference JSONL file");
        Check(!string.IsNullOrWhiteSpace(OutFolder), $"{nameof(OutFolder)} must name a folder for checkpoints");
        Check(BatchSize >= 1, $"{nameof(BatchSize)} must be at least 1 (got {BatchSize})");
        Check(GradientAccumulationSteps >= 1, $"{nameof(GradientAccumulationSteps)} must be at least 1 (got {GradientAccumulationSteps})");
        Check(Epochs > 0 && double.IsFinite(Epochs), $"{nameof(Epochs)} must be positive (got {Epochs})");
        Check(MaxSteps is null or >= 1, $"{nameof(MaxSteps)} must be at least 1, or null to follow {nameof(Epochs)} (got {MaxSteps})");
        Check(LearningRate > 0 && double.IsFinite(LearningRate), $"{nameof(LearningRate)} must be positive (got {LearningRate})");
        Check(WarmupSteps >= 0, $"{nameof(WarmupSteps)} must not be negative (got {WarmupSteps})");
        Check(WeightDecay >= 0, $"{nameof(WeightDecay)} must not be negative (got {WeightDecay})");
        Check(GradClip >= 0, $"{nameof(GradClip)} must not be negative (got {GradClip})");
        Check(EvalEvery >= 1, $"{nameof(EvalEvery)} must be at least 1 (got {EvalEvery})");
        Check(EvalBatches is null or >= 1, $"{nameof(EvalBatches)} must be at least 1, or null for all (got {EvalBatches})");
        Check(CheckpointEvery >= 1, $"{nameof(CheckpointEvery)} must be at least 1 (got {CheckpointEvery})");
        Check(KeepLast >= 1, $"{nameof(KeepLast)} must be at least 1 (got {KeepLast})");
        Check(PeakFlopsPerSecond is null or > 0, $"{nameof(PeakFlopsPerSecond)} must be positive, or null to measure (got {PeakFlopsPerSecond})");
        return problems.Count == 0 ? this : throw new ArgumentException($"Invalid reward model config: {string.Join("; ", problems)}.");
    }

    /// <summary>Optimizer steps for <paramref name="pairs"/> training pairs.</summary>
    public int StepsFor(int pairs) =>
        MaxSteps ?? Math.Max(1, (int)Math.Ceiling(Epochs * pairs / (BatchSize * (double)GradientAccumulationSteps)));

    /// <summary>The config as indented JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, DpoConfig.Json);

    /// <summary>Writes the config to <paramref name="path"/> atomically.</summary>
    public void Save(string path) => AtomicFile.WriteAllText(path, ToJson() + "\n");

    /// <summary>Reads and validates a config file; relative paths in it are relative to the file's folder.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">Not valid JSON for this record, an unknown setting, or values that cannot
    /// work; the message starts with the file's path.</exception>
    public static RewardConfig Load(string path) => ConfigFile.Load<RewardConfig>(path, "reward model", DpoConfig.Json,
        (c, resolve) => c with { BaseModel = resolve(c.BaseModel)!, TrainData = resolve(c.TrainData)!, ValidationData = resolve(c.ValidationData)!, OutFolder = resolve(c.OutFolder)!, RunStorePath = resolve(c.RunStorePath) },
        c => c.Validate());
}
