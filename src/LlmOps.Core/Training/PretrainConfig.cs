using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using LlmOps.Core.IO;
using LlmOps.Core.Modeling;

namespace LlmOps.Core.Training;

/// <summary>
/// Every knob of a pretraining run in one record, as nanoGPT keeps them at the top of <c>train.py</c>: saved into the
/// run store and loadable from JSON (<c>llmops train --config FILE</c>). Defaults are nanoGPT's shakespeare-char run
/// where they apply. Paths are used as given (relative ones against the current folder).
/// </summary>
/// <param name="Model">The model's shape; its block size is the training context.</param>
/// <param name="TrainData">Folder (or <c>index.json</c>) of the training token shards.</param>
/// <param name="ValidationData">Folder (or <c>index.json</c>) of the validation token shards.</param>
/// <param name="OutFolder">Where <c>checkpoints/</c> go.</param>
/// <param name="BatchSize">Sequences per micro-batch (B); evaluation uses the same.</param>
/// <param name="GradientAccumulationSteps">Micro-batches per optimizer step: the effective batch is B × this, for
/// batches larger than memory allows.</param>
/// <param name="MaxSteps">Optimizer steps of the whole run (a resumed run continues up to this).</param>
/// <param name="LearningRate">The peak learning rate.</param>
/// <param name="MinLearningRate">The floor of the cosine decay (nanoGPT: a tenth of the peak).</param>
/// <param name="WarmupSteps">Linear warmup steps.</param>
/// <param name="DecaySteps">Step at which the cosine reaches the minimum; null decays over <paramref name="MaxSteps"/>.</param>
/// <param name="WeightDecay">AdamW's decoupled weight decay, on matrices only (see <see cref="ParameterGroups"/>).</param>
/// <param name="Beta1">Adam's first-moment decay.</param>
/// <param name="Beta2">Adam's second-moment decay (0.95 for GPT-style runs; 0.99 for very small batches).</param>
/// <param name="GradClip">Clip the global gradient norm to this; 0 turns clipping off.</param>
/// <param name="EvalEvery">Evaluate every this many steps (and at the last step).</param>
/// <param name="EvalBatches">Validation batches per evaluation: always the first ones of the split, so every
/// evaluation measures the same windows and the curve moves only because the model does.</param>
/// <param name="CheckpointEvery">Write a checkpoint every this many steps (and at the end, on cancellation, and when
/// the validation loss improves).</param>
/// <param name="KeepLast">Step checkpoints kept; older ones are deleted, except the best.</param>
/// <param name="EarlyStoppingPatience">Stop after this many evaluations without a new best validation loss; null is off.</param>
/// <param name="Device"><c>auto</c>, <c>cpu</c>, <c>cuda</c>, or null for <c>LLMOPS_DEVICE</c> / auto.</param>
/// <param name="Seed">Seeds the initial weights, the data order and dropout.</param>
/// <param name="Precision">fp32 or bf16 passes; see <see cref="MixedPrecision"/>.</param>
/// <param name="RunName">A human name for the run store and the display; null derives one from the model shape.</param>
/// <param name="RunStorePath">The SQLite run store to record into; null records nothing.</param>
/// <param name="Resume">Continue from <c>checkpoints/last</c> when the out folder has one. When false, an out folder
/// that already holds checkpoints is an error rather than silently mixed with a new run.</param>
/// <param name="ResumeFrom">A checkpoint folder to continue from explicitly (wins over <paramref name="Resume"/>).</param>
/// <param name="PeakFlopsPerSecond">The FLOP/s that MFU is quoted against; null measures an fp32 matmul once at start
/// (<see cref="Platform.MatmulMeasurement"/>). Pass a datasheet figure to compare with published MFU.</param>
/// <param name="Tokenizer">The tokenizer reference written into checkpoints; null takes the shard index's.</param>
public sealed record PretrainConfig(
    GptConfig Model,
    string TrainData,
    string ValidationData,
    string OutFolder,
    int BatchSize = 12,
    int GradientAccumulationSteps = 1,
    int MaxSteps = 5000,
    double LearningRate = 1e-3,
    double MinLearningRate = 1e-4,
    int WarmupSteps = 100,
    int? DecaySteps = null,
    double WeightDecay = 0.1,
    double Beta1 = 0.9,
    double Beta2 = 0.95,
    double GradClip = 1.0,
    int EvalEvery = 250,
    int EvalBatches = 20,
    int CheckpointEvery = 500,
    int KeepLast = 3,
    int? EarlyStoppingPatience = null,
    string? Device = null,
    int Seed = 1337,
    MixedPrecision Precision = MixedPrecision.Auto,
    string? RunName = null,
    string? RunStorePath = null,
    bool Resume = true,
    string? ResumeFrom = null,
    double? PeakFlopsPerSecond = null,
    string? Tokenizer = null)
{
    static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow, // a misspelt knob is an error, not a silent default
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>The training context: the model's block size.</summary>
    [JsonIgnore]
    public int BlockSize => Model.BlockSize;

    /// <summary>Tokens one optimizer step trains on: B × T × accumulation.</summary>
    [JsonIgnore]
    public long TokensPerStep => (long)BatchSize * BlockSize * GradientAccumulationSteps;

    /// <summary>The learning-rate schedule these settings describe.</summary>
    public LearningRateSchedule Schedule() => new(LearningRate, MinLearningRate, WarmupSteps, DecaySteps ?? MaxSteps);

    /// <summary>Checks every setting at once, so one message lists everything that is wrong.</summary>
    /// <returns>This config, for chaining.</returns>
    /// <exception cref="ArgumentException">A setting cannot work; the message names each.</exception>
    public PretrainConfig Validate()
    {
        var problems = new List<string>();
        void Check(bool ok, FormattableString problem)
        {
            if (!ok)
                problems.Add(problem.ToString(CultureInfo.InvariantCulture));
        }
        if (Model is null)
            problems.Add($"{nameof(Model)} is missing");
        else
        {
            try
            {
                Model.Validate();
            }
            catch (ArgumentException e)
            {
                problems.Add(e.Message.TrimEnd('.'));
            }
        }
        Check(!string.IsNullOrWhiteSpace(TrainData), $"{nameof(TrainData)} must name the training shard folder");
        Check(!string.IsNullOrWhiteSpace(ValidationData), $"{nameof(ValidationData)} must name the validation shard folder");
        Check(!string.IsNullOrWhiteSpace(OutFolder), $"{nameof(OutFolder)} must name a folder for checkpoints");
        Check(BatchSize >= 1, $"{nameof(BatchSize)} must be at least 1 (got {BatchSize})");
        Check(GradientAccumulationSteps >= 1, $"{nameof(GradientAccumulationSteps)} must be at least 1 (got {GradientAccumulationSteps})");
        Check(MaxSteps >= 1, $"{nameof(MaxSteps)} must be at least 1 (got {MaxSteps})");
        Check(LearningRate > 0 && double.IsFinite(LearningRate), $"{nameof(LearningRate)} must be positive (got {LearningRate})");
        Check(MinLearningRate >= 0 && MinLearningRate <= LearningRate, $"{nameof(MinLearningRate)} must be in [0, {nameof(LearningRate)}] (got {MinLearningRate})");
        Check(WarmupSteps >= 0, $"{nameof(WarmupSteps)} must not be negative (got {WarmupSteps})");
        Check(DecaySteps is null || DecaySteps >= WarmupSteps, $"{nameof(DecaySteps)} must be at least {nameof(WarmupSteps)} (got {DecaySteps} < {WarmupSteps})");
        Check(WeightDecay >= 0, $"{nameof(WeightDecay)} must not be negative (got {WeightDecay})");
        Check(Beta1 >= 0 && Beta1 < 1, $"{nameof(Beta1)} must be in [0, 1) (got {Beta1})");
        Check(Beta2 >= 0 && Beta2 < 1, $"{nameof(Beta2)} must be in [0, 1) (got {Beta2})");
        Check(GradClip >= 0, $"{nameof(GradClip)} must not be negative; 0 turns clipping off (got {GradClip})");
        Check(EvalEvery >= 1, $"{nameof(EvalEvery)} must be at least 1 (got {EvalEvery})");
        Check(EvalBatches >= 1, $"{nameof(EvalBatches)} must be at least 1 (got {EvalBatches})");
        Check(CheckpointEvery >= 1, $"{nameof(CheckpointEvery)} must be at least 1 (got {CheckpointEvery})");
        Check(KeepLast >= 1, $"{nameof(KeepLast)} must be at least 1 (got {KeepLast})");
        Check(EarlyStoppingPatience is null || EarlyStoppingPatience >= 1, $"{nameof(EarlyStoppingPatience)} must be at least 1, or null for off (got {EarlyStoppingPatience})");
        Check(Enum.IsDefined(Precision), $"{nameof(Precision)} '{Precision}' is not Auto, Fp32 or Bf16");
        Check(PeakFlopsPerSecond is null || PeakFlopsPerSecond > 0, $"{nameof(PeakFlopsPerSecond)} must be positive, or null to measure (got {PeakFlopsPerSecond})");
        return problems.Count == 0 ? this : throw new ArgumentException($"Invalid pretraining config: {string.Join("; ", problems)}.");
    }

    /// <summary>The config as indented JSON (enums by name).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Writes the config to <paramref name="path"/> atomically.</summary>
    public void Save(string path) => AtomicFile.WriteAllText(path, ToJson() + "\n");

    /// <summary>Reads and validates a config file. Relative paths in it (data, output, run store, resume) are relative
    /// to the file's folder, so a config works from any current folder.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">The file is not valid JSON for this record, names an unknown setting, or
    /// holds values that cannot work; the message starts with the file's path (and the line, for JSON errors).</exception>
    public static PretrainConfig Load(string path) => ConfigFile.Load<PretrainConfig>(path, "pretraining", Json,
        (c, resolve) => c with { TrainData = resolve(c.TrainData)!, ValidationData = resolve(c.ValidationData)!, OutFolder = resolve(c.OutFolder)!, RunStorePath = resolve(c.RunStorePath), ResumeFrom = resolve(c.ResumeFrom) },
        c => c.Validate());
}
